/**
 * The text the "Read from Wikipedia" page learns, bundled with the page (nothing is fetched): a
 * short encyclopedia-style paragraph written for this demo, in the manner of Wikipedia's article
 * on artificial neural networks.
 */
export const ARTICLE = [
  'an artificial neural network is a model made of units called neurons, joined by connections called synapses.',
  'each neuron sums the signals that reach it, each signal scaled by the weight of its connection,',
  'and passes the sum through a squashing function.',
  'the network learns by changing its weights so that its answers come closer to the answers it is shown.',
  'a recurrent network feeds its own state back into itself, so it can remember what it has read.',
  'long short term memory networks add gates that decide what to keep, what to forget and what to say.',
].join(' ');
