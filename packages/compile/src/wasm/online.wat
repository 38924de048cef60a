;; Online (one sample at a time) kernels of @synaptic/compile's default compile, for layered
;; networks, in f64 (f64x2): the products of 1.x's activate and propagate. Offsets are bytes;
;; the caller (src/online/online-kernel.ts) keeps every array 16-byte aligned and does the
;; squashes and the biases in JavaScript (one number per unit, where Math.exp is).
(module
  (import "env" "memory" (memory 1))

  ;; out[j] = Σ_i w[j·n + i] · x[i] for j < m: eq. 15 without the bias (and without the
  ;; self-connection, which a layered network has not). Four f64x2 accumulators, then the tail.
  (func (export "rows_dot")
    (param $w i32) (param $x i32) (param $out i32) (param $m i32) (param $n i32)
    (local $j i32) (local $i i32) (local $row i32) (local $n8 i32) (local $s f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $pw i32) (local $px i32)
    (local.set $n8 (i32.and (local.get $n) (i32.const -8)))
    (local.set $row (local.get $w))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $a0 (v128.const i64x2 0 0)) (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0)) (local.set $a3 (v128.const i64x2 0 0))
        (local.set $pw (local.get $row))
        (local.set $px (local.get $x))
        (local.set $i (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $i) (local.get $n8)))
            (local.set $a0 (f64x2.add (local.get $a0)
              (f64x2.mul (v128.load (local.get $pw)) (v128.load (local.get $px)))))
            (local.set $a1 (f64x2.add (local.get $a1)
              (f64x2.mul (v128.load offset=16 (local.get $pw)) (v128.load offset=16 (local.get $px)))))
            (local.set $a2 (f64x2.add (local.get $a2)
              (f64x2.mul (v128.load offset=32 (local.get $pw)) (v128.load offset=32 (local.get $px)))))
            (local.set $a3 (f64x2.add (local.get $a3)
              (f64x2.mul (v128.load offset=48 (local.get $pw)) (v128.load offset=48 (local.get $px)))))
            (local.set $pw (i32.add (local.get $pw) (i32.const 64)))
            (local.set $px (i32.add (local.get $px) (i32.const 64)))
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (br $vec)))
        (local.set $a0 (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3))))
        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $pw)) (f64.load (local.get $px)))))
            (local.set $pw (i32.add (local.get $pw) (i32.const 8)))
            (local.set $px (i32.add (local.get $px) (i32.const 8)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $tail)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))) (local.get $s))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $n) (i32.const 3))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows)))
  )

  ;; 1.x's update of the weights into a layer (eq. 24 with the traces of a layered network, which
  ;; are the source activations): for j < m, i < n, in 1.x's arithmetic
  ;;   u[j·n + i] = w;  w ← w + rate · (δ_j · x_i)
  ;; and, when $back ≠ 0, back[i] += δ_j · w with the UPDATED w (1.x's hidden layer reads its
  ;; outgoing weights after the layer above changed them; eq. 21's Σ_k δ_k w_kj), rows in order.
  ;; u is the undo log. Returns 1 when a written weight is NaN or ±Infinity (w − w is then NaN),
  ;; else 0: the checks are ORs of lane masks, so they make no chain of dependent additions.
  (func (export "update")
    (param $w i32) (param $u i32) (param $x i32) (param $delta i32) (param $back i32)
    (param $m i32) (param $n i32) (param $rate f64) (result i32)
    (local $j i32) (local $i i32) (local $n4 i32) (local $pw i32) (local $pu i32) (local $px i32) (local $pb i32)
    (local $d f64) (local $dv v128) (local $rv v128) (local $bad v128)
    (local $w0 v128) (local $w1 v128) (local $t0 v128) (local $t1 v128) (local $s f64) (local $old f64)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $rv (f64x2.splat (local.get $rate)))
    (local.set $bad (v128.const i64x2 0 0))
    (local.set $pw (local.get $w))
    (local.set $pu (local.get $u))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $d (f64.load (i32.add (local.get $delta) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $dv (f64x2.splat (local.get $d)))
        (local.set $px (local.get $x))
        (local.set $pb (local.get $back))
        (local.set $i (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $i) (local.get $n4)))
            (local.set $w0 (v128.load (local.get $pw)))
            (local.set $w1 (v128.load offset=16 (local.get $pw)))
            (v128.store (local.get $pu) (local.get $w0))
            (v128.store offset=16 (local.get $pu) (local.get $w1))
            (local.set $w0 (f64x2.add (local.get $w0)
              (f64x2.mul (local.get $rv) (f64x2.mul (local.get $dv) (v128.load (local.get $px))))))
            (local.set $w1 (f64x2.add (local.get $w1)
              (f64x2.mul (local.get $rv) (f64x2.mul (local.get $dv) (v128.load offset=16 (local.get $px))))))
            (v128.store (local.get $pw) (local.get $w0))
            (v128.store offset=16 (local.get $pw) (local.get $w1))
            (local.set $t0 (f64x2.sub (local.get $w0) (local.get $w0)))
            (local.set $t1 (f64x2.sub (local.get $w1) (local.get $w1)))
            (local.set $bad (v128.or (local.get $bad)
              (v128.or (f64x2.ne (local.get $t0) (local.get $t0)) (f64x2.ne (local.get $t1) (local.get $t1)))))
            (if (local.get $back)
              (then
                (v128.store (local.get $pb)
                  (f64x2.add (v128.load (local.get $pb)) (f64x2.mul (local.get $dv) (local.get $w0))))
                (v128.store offset=16 (local.get $pb)
                  (f64x2.add (v128.load offset=16 (local.get $pb)) (f64x2.mul (local.get $dv) (local.get $w1))))))
            (local.set $pw (i32.add (local.get $pw) (i32.const 32)))
            (local.set $pu (i32.add (local.get $pu) (i32.const 32)))
            (local.set $px (i32.add (local.get $px) (i32.const 32)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $vec)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $old (f64.load (local.get $pw)))
            (f64.store (local.get $pu) (local.get $old))
            (local.set $s (f64.add (local.get $old)
              (f64.mul (local.get $rate) (f64.mul (local.get $d) (f64.load (local.get $px))))))
            (f64.store (local.get $pw) (local.get $s))
            (local.set $t0 (f64x2.splat (f64.sub (local.get $s) (local.get $s))))
            (local.set $bad (v128.or (local.get $bad) (f64x2.ne (local.get $t0) (local.get $t0))))
            (if (local.get $back)
              (then
                (f64.store (local.get $pb)
                  (f64.add (f64.load (local.get $pb)) (f64.mul (local.get $d) (local.get $s))))))
            (local.set $pw (i32.add (local.get $pw) (i32.const 8)))
            (local.set $pu (i32.add (local.get $pu) (i32.const 8)))
            (local.set $px (i32.add (local.get $px) (i32.const 8)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 8)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $tail)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows)))
    (v128.any_true (local.get $bad))
  )
)
