/**
 * A compiled network written by hand, independent of `@synaptic/compile`: an executor whose
 * `portable()` returns dependency-free JavaScript for a small feed-forward logistic network (no gates, no
 * self-connections), such as the 2-2-1 perceptron. The source is plain math over the network's
 * JSON, written in 1.x's order of operations, so it trains exactly as core's interpreter does.
 */
import type { Network, NetworkExecutor, NetworkJSON } from '@synaptic/core';

/** The source text of a factory of runners for `json`'s network (see core's `PortableNetwork`). */
export function feedForwardSource(json: NetworkJSON, marker = ''): string {
  return `(function () {
  var json = ${JSON.stringify(json)};
  return function () {
    ${marker}
    var units = json.neurons.map(function (n) {
      return { bias: n.bias, state: n.state, old: n.old, activation: n.activation, derivative: 0, delta: 0, input: n.layer === 'input' };
    });
    var links = json.connections.map(function (c) { return { from: c.from, to: c.to, weight: c.weight, trace: 0 }; });
    var into = units.map(function (_, j) { return links.filter(function (c) { return c.to === j; }); });
    var out = units.map(function (_, j) { return links.filter(function (c) { return c.from === j; }); });
    var inputs = units.filter(function (u) { return u.input; });
    var outputs = json.neurons.map(function (n, j) { return n.layer === 'output' ? j : -1; }).filter(function (j) { return j >= 0; });
    return {
      activate: function (x) {
        for (var k = 0; k < inputs.length; k++) { inputs[k].activation = x[k]; inputs[k].derivative = 0; inputs[k].bias = 0; }
        for (var j = 0; j < units.length; j++) {
          var u = units[j];
          if (u.input) continue;
          u.old = u.state;
          var s = u.bias;
          for (var i = 0; i < into[j].length; i++) { var c = into[j][i]; s += units[c.from].activation * c.weight; c.trace = units[c.from].activation; }
          u.state = s;
          u.activation = 1 / (1 + Math.exp(-s));
          u.derivative = u.activation * (1 - u.activation);
        }
        return outputs.map(function (j) { return units[j].activation; });
      },
      propagate: function (rate, target) {
        for (var j = units.length - 1; j >= 0; j--) {
          var u = units[j];
          if (u.input) continue;
          var o = outputs.indexOf(j);
          if (o >= 0) u.delta = target[o] - u.activation;
          else {
            var e = 0;
            for (var k = 0; k < out[j].length; k++) e += units[out[j][k].to].delta * out[j][k].weight;
            u.delta = u.derivative * e;
          }
          for (var i = 0; i < into[j].length; i++) into[j][i].weight += rate * (u.delta * into[j][i].trace);
          u.bias += rate * u.delta;
        }
      },
      clear: function () {},
      toJSON: function () {
        return {
          neurons: json.neurons.map(function (n, j) {
            var u = units[j];
            return { trace: { elegibility: {}, extended: {} }, state: u.state, old: u.old, activation: u.activation, bias: u.bias, layer: n.layer, squash: n.squash };
          }),
          connections: links.map(function (c, i) {
            return { from: c.from, to: c.to, weight: c.weight, gater: json.connections[i].gater };
          }),
        };
      },
    };
  };
})()`;
}

/** An executor that only offers `portable()`: enough for trainAsync, which never runs it on this thread. */
export function portableExecutor(network: Network, source: () => string): NetworkExecutor {
  const refuse = () => {
    throw new Error('the fake compiled executor does not run on this thread');
  };
  return {
    epoch: network.structureVersion(),
    activate: refuse,
    propagate: refuse,
    clear: () => {},
    sync: () => {},
    dispose: () => {},
    portable: () => ({ source: source() }),
  };
}
