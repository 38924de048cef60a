;; Dense kernels of @synaptic/compile's batched execution, for one precision: {T} with {V}
;; (scripts/build-wasm.mjs writes f64/f64x2 and f32/f32x4 from this text, then assembles them;
;; {BITS} is the element's width for the load-and-splat instructions).
;;
;; gemm: C[r][c] (+)= Σ_k A[r·ars + k·acs] · B[k·ldb + c] for r < M, c < N (eq. 15's sums for a
;; batch of samples at once, and the gradients of eq. 24 summed over it). Offsets and strides
;; count elements. M must be a multiple of 4 and N of 2·{L}: the caller pads. A 4 × 2-vector tile
;; of C stays in registers while k runs; the products are summed in k order, without fused
;; multiply-add, which is the order of the JavaScript kernel (kernels.ts).
(module
  (import "env" "memory" (memory 1))
  (func (export "gemm")
    (param $c i32) (param $ldc i32) (param $a i32) (param $ars i32) (param $acs i32)
    (param $b i32) (param $ldb i32) (param $m i32) (param $n i32) (param $k i32) (param $acc i32)
    (local $r i32) (local $col i32) (local $kk i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local $rs i32) (local $rs2 i32) (local $rs3 i32) (local $cs i32) (local $bs i32) (local $cst i32)
    (local $a0 v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rs (i32.shl (local.get $ars) (i32.const {SH})))
    (local.set $rs2 (i32.shl (local.get $rs) (i32.const 1)))
    (local.set $rs3 (i32.add (local.get $rs2) (local.get $rs)))
    (local.set $cs (i32.shl (local.get $acs) (i32.const {SH})))
    (local.set $bs (i32.shl (local.get $ldb) (i32.const {SH})))
    (local.set $cst (i32.shl (local.get $ldc) (i32.const {SH})))
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $m)))
        (local.set $col (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $col) (local.get $n)))
            (local.set $pc (i32.shl
              (i32.add (local.get $c) (i32.add (i32.mul (local.get $r) (local.get $ldc)) (local.get $col)))
              (i32.const {SH})))
            (if (local.get $acc)
              (then
                (local.set $c00 (v128.load (local.get $pc)))
                (local.set $c01 (v128.load offset=16 (local.get $pc)))
                (local.set $c10 (v128.load (i32.add (local.get $pc) (local.get $cst))))
                (local.set $c11 (v128.load offset=16 (i32.add (local.get $pc) (local.get $cst))))
                (local.set $c20 (v128.load (i32.add (local.get $pc) (i32.shl (local.get $cst) (i32.const 1)))))
                (local.set $c21 (v128.load offset=16 (i32.add (local.get $pc) (i32.shl (local.get $cst) (i32.const 1)))))
                (local.set $c30 (v128.load (i32.add (local.get $pc) (i32.mul (local.get $cst) (i32.const 3)))))
                (local.set $c31 (v128.load offset=16 (i32.add (local.get $pc) (i32.mul (local.get $cst) (i32.const 3))))))
              (else
                (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
                (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
                (local.set $c20 (v128.const i64x2 0 0)) (local.set $c21 (v128.const i64x2 0 0))
                (local.set $c30 (v128.const i64x2 0 0)) (local.set $c31 (v128.const i64x2 0 0))))
            (local.set $pa (i32.shl
              (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $ars))) (i32.const {SH})))
            (local.set $pb (i32.shl (i32.add (local.get $b) (local.get $col)) (i32.const {SH})))
            (local.set $kk (local.get $k))
            (block $k_done
              (loop $ks
                (br_if $k_done (i32.eqz (local.get $kk)))
                ;; each row's A entry is splatted from memory right before its two products, so only
                ;; one of them is live at a time (8 accumulators + 2 B vectors + 1 A vector stay in
                ;; registers: loading all four first made the register allocator spill)
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $a0 (v128.load{BITS}_splat (local.get $pa)))
                (local.set $c00 ({V}.add (local.get $c00) ({V}.mul (local.get $a0) (local.get $b0))))
                (local.set $c01 ({V}.add (local.get $c01) ({V}.mul (local.get $a0) (local.get $b1))))
                (local.set $a0 (v128.load{BITS}_splat (i32.add (local.get $pa) (local.get $rs))))
                (local.set $c10 ({V}.add (local.get $c10) ({V}.mul (local.get $a0) (local.get $b0))))
                (local.set $c11 ({V}.add (local.get $c11) ({V}.mul (local.get $a0) (local.get $b1))))
                (local.set $a0 (v128.load{BITS}_splat (i32.add (local.get $pa) (local.get $rs2))))
                (local.set $c20 ({V}.add (local.get $c20) ({V}.mul (local.get $a0) (local.get $b0))))
                (local.set $c21 ({V}.add (local.get $c21) ({V}.mul (local.get $a0) (local.get $b1))))
                (local.set $a0 (v128.load{BITS}_splat (i32.add (local.get $pa) (local.get $rs3))))
                (local.set $c30 ({V}.add (local.get $c30) ({V}.mul (local.get $a0) (local.get $b0))))
                (local.set $c31 ({V}.add (local.get $c31) ({V}.mul (local.get $a0) (local.get $b1))))
                (local.set $pa (i32.add (local.get $pa) (local.get $cs)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bs)))
                (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
                (br $ks)))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $cst)))
            (v128.store (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $cst)))
            (v128.store (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $cst)))
            (v128.store (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $col (i32.add (local.get $col) (i32.const {L2})))
            (br $cols)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rows))))

  ;; transpose: dst[i·ldd + b] = src[b·lds + i] for i < rows, b < count (element offsets): the input
  ;; layer's activations, sample after sample, turned into the transposed operand of the first
  ;; product. Returns b·rows + i of the first entry (in that order) that is not finite (v − v ≠ 0:
  ;; NaN, ±Infinity, or past float32's range at f32), −1 when all are.
  (func (export "transpose") (param $dst i32) (param $ldd i32) (param $src i32) (param $lds i32)
    (param $rows i32) (param $count i32) (result i32)
    (local $i i32) (local $b i32) (local $d i32) (local $s i32) (local $v {T}) (local $bad i32) (local $step i32)
    (local.set $bad (i32.const -1))
    (local.set $step (i32.shl (local.get $lds) (i32.const {SH})))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $d (i32.shl (i32.add (local.get $dst) (i32.mul (local.get $i) (local.get $ldd))) (i32.const {SH})))
        (local.set $s (i32.shl (i32.add (local.get $src) (local.get $i)) (i32.const {SH})))
        (local.set $b (i32.const 0))
        (block $cols_done
          (loop $col
            (br_if $cols_done (i32.ge_u (local.get $b) (local.get $count)))
            (local.set $v ({T}.load (local.get $s)))
            ({T}.store (local.get $d) (local.get $v))
            (if ({T}.ne ({T}.sub (local.get $v) (local.get $v)) ({T}.const 0))
              (then
                (if (i32.lt_s (local.get $bad) (i32.const 0))
                  (then (local.set $bad (i32.add (i32.mul (local.get $b) (local.get $rows)) (local.get $i)))))))
            (local.set $d (i32.add (local.get $d) (i32.shl (i32.const 1) (i32.const {SH}))))
            (local.set $s (i32.add (local.get $s) (local.get $step)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $col)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))
    (local.get $bad))

  ;; demote: f32 dst[k] = f64 src[k] for k < count (rounded up to 4): the f32 working copy of the
  ;; network's f64 weights. Byte addresses; the caller leaves 3 entries of slack after both.
  (func (export "demote") (param $dst i32) (param $src i32) (param $count i32)
    (block $done
      (loop $each
        (br_if $done (i32.le_s (local.get $count) (i32.const 0)))
        (v128.store (local.get $dst)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (v128.load (local.get $src)))
            (f32x4.demote_f64x2_zero (v128.load offset=16 (local.get $src)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 32)))
        (local.set $count (i32.sub (local.get $count) (i32.const 4)))
        (br $each))))

  ;; promote_add: f64 dst[j·n + i] += f32 src[j·ld + i] for j < rows, i < n (rounded up to 4; the
  ;; entries past n that src holds are zeros, so what spills into the next row adds nothing). With
  ;; $add = 0, dst[j·n + i] = 0 + src[j·ld + i] instead (rows in order, so a spill is overwritten).
  (func (export "promote_add") (param $dst i32) (param $src i32) (param $rows i32) (param $n i32) (param $ld i32) (param $add i32)
    (local $j i32) (local $i i32) (local $d i32) (local $s i32) (local $x v128) (local $lo v128) (local $hi v128)
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $j) (local.get $rows)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $j) (local.get $n)) (i32.const 3))))
        (local.set $s (i32.add (local.get $src) (i32.shl (i32.mul (local.get $j) (local.get $ld)) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $cols_done
          (loop $col
            (br_if $cols_done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $x (v128.load (local.get $s)))
            (local.set $lo (v128.const i64x2 0 0))
            (local.set $hi (v128.const i64x2 0 0))
            (if (local.get $add)
              (then
                (local.set $lo (v128.load (local.get $d)))
                (local.set $hi (v128.load offset=16 (local.get $d)))))
            (v128.store (local.get $d)
              (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $x))))
            (v128.store offset=16 (local.get $d)
              (f64x2.add (local.get $hi)
                (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $col)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $row))))

;;{F32}
  ;; logistic (f32 only): for unit j < m and sample b < count (rounded up to 4): s = states[j·cols + b]
  ;; + bias[j]; y = 1 / (1 + e^(−s)) → to[j·cols + b]; f'(s) = y (1 − y) → derivative[j·cols + b]
  ;; (eq. 16 for the LOGISTIC squash, a hidden layer of a batch at once). Byte addresses. e^x as
  ;; Cephes' expf: x clamped to [−87.3, 88.7], x = n ln2 + r (ln2 in two parts), e^r by its degree-7
  ;; polynomial, 2^n built in the exponent bits: within 2 ulp of e^x in float32.
  (func (export "logistic") (param $states i32) (param $bias i32) (param $m i32) (param $cols i32) (param $count i32)
    (param $to i32) (param $derivative i32)
    (local $j i32) (local $b i32) (local $row i32) (local $at i32) (local $beta v128)
    (local $x v128) (local $n v128) (local $r v128) (local $p v128) (local $y v128)
    (local.set $row (i32.shl (local.get $cols) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $beta (v128.load32_splat (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $at (i32.mul (local.get $j) (local.get $row)))
        (local.set $b (i32.const 0))
        (block $cols_done
          (loop $each
            (br_if $cols_done (i32.ge_u (local.get $b) (local.get $count)))
            ;; x = −s, clamped
            (local.set $x (f32x4.neg (f32x4.add (v128.load (i32.add (local.get $states) (local.get $at))) (local.get $beta))))
            (local.set $x (f32x4.max (f32x4.min (local.get $x) (f32x4.splat (f32.const 88.7))) (f32x4.splat (f32.const -87.3))))
            ;; n = round(x log2 e), r = x − n ln2
            (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))))
            (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375)))))
            (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
            ;; e^r = 1 + r + r² (p0 + r (p1 + ...))
            (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
            (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
            (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
              (f32x4.splat (f32.const 1))))
            ;; · 2^n, then y = 1 / (1 + e^x) and y (1 − y)
            (local.set $p (f32x4.mul (local.get $p)
              (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23))))
            (local.set $y (f32x4.div (f32x4.splat (f32.const 1)) (f32x4.add (f32x4.splat (f32.const 1)) (local.get $p))))
            (v128.store (i32.add (local.get $to) (local.get $at)) (local.get $y))
            (v128.store (i32.add (local.get $derivative) (local.get $at))
              (f32x4.mul (local.get $y) (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $y))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $each)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows))))

  ;; transpose4 (f32 only): transpose's copy in 4 × 4 blocks of SIMD shuffles, over rows and count
  ;; rounded up to 4 (the layout pads both; entries past them are padding nothing reads). Returns 0,
  ;; or 1 when some entry of the blocks is not finite: then the caller runs transpose, which names it.
  (func (export "transpose4") (param $dst i32) (param $ldd i32) (param $src i32) (param $lds i32)
    (param $rows i32) (param $count i32) (result i32)
    (local $i i32) (local $b i32) (local $s i32) (local $d i32) (local $step i32) (local $row i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $bad v128)
    (local.set $step (i32.shl (local.get $lds) (i32.const 2)))
    (local.set $row (i32.shl (local.get $ldd) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $b (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $b) (local.get $count)))
            (local.set $s (i32.shl (i32.add (local.get $src) (i32.add (i32.mul (local.get $b) (local.get $lds)) (local.get $i))) (i32.const 2)))
            (local.set $r0 (v128.load (local.get $s)))
            (local.set $r1 (v128.load (i32.add (local.get $s) (local.get $step))))
            (local.set $r2 (v128.load (i32.add (local.get $s) (i32.shl (local.get $step) (i32.const 1)))))
            (local.set $r3 (v128.load (i32.add (local.get $s) (i32.mul (local.get $step) (i32.const 3)))))
            ;; v − v ≠ 0 flags NaN and ±Infinity
            (local.set $bad (v128.or (local.get $bad)
              (v128.or
                (v128.or (f32x4.ne (f32x4.sub (local.get $r0) (local.get $r0)) (v128.const i32x4 0 0 0 0))
                         (f32x4.ne (f32x4.sub (local.get $r1) (local.get $r1)) (v128.const i32x4 0 0 0 0)))
                (v128.or (f32x4.ne (f32x4.sub (local.get $r2) (local.get $r2)) (v128.const i32x4 0 0 0 0))
                         (f32x4.ne (f32x4.sub (local.get $r3) (local.get $r3)) (v128.const i32x4 0 0 0 0))))))
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
            (local.set $d (i32.shl (i32.add (local.get $dst) (i32.add (i32.mul (local.get $i) (local.get $ldd)) (local.get $b))) (i32.const 2)))
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (local.get $row))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (i32.shl (local.get $row) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $d) (i32.mul (local.get $row) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows)))
    (v128.any_true (local.get $bad)))
;;{/F32}

;; add64: f64 dst[k] += f64 src[k] for k < count (rounded up to 2; byte addresses): another
  ;; thread's gradient added to the network's (parallelBatch), in the order JavaScript would.
  (func (export "add64") (param $dst i32) (param $src i32) (param $count i32)
    (block $done
      (loop $each
        (br_if $done (i32.le_s (local.get $count) (i32.const 0)))
        (v128.store (local.get $dst) (f64x2.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $count (i32.sub (local.get $count) (i32.const 2)))
        (br $each))))

  ;; multiply: dst[k] = a[k] · b[k] for k < count (rounded up to {L}; byte addresses): the errors
  ;; through a squash, δ = f'(s) ⊙ ∂E/∂y (eq. 21's last factor), exact IEEE products as in JavaScript.
  (func (export "multiply") (param $dst i32) (param $a i32) (param $b i32) (param $count i32)
    (block $done
      (loop $each
        (br_if $done (i32.le_s (local.get $count) (i32.const 0)))
        (v128.store (local.get $dst) ({V}.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $count (i32.sub (local.get $count) (i32.const {L})))
        (br $each))))

  ;; peak: 8 independent {V} multiply-add chains, `count` rounds (16·{L} flops a round); the
  ;; benchmark's measure of what one core can do. Returns a lane so the work cannot be dropped.
  (func (export "peak") (param $count i32) (param $x {T}) (result {T})
    (local $m v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $m ({V}.splat (local.get $x)))
    (local.set $s1 (local.get $m)) (local.set $s2 (local.get $m)) (local.set $s3 (local.get $m))
    (local.set $s4 (local.get $m)) (local.set $s5 (local.get $m)) (local.set $s6 (local.get $m)) (local.set $s7 (local.get $m))
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $s0 ({V}.add ({V}.mul (local.get $s0) (local.get $m)) (local.get $m)))
        (local.set $s1 ({V}.add ({V}.mul (local.get $s1) (local.get $m)) (local.get $m)))
        (local.set $s2 ({V}.add ({V}.mul (local.get $s2) (local.get $m)) (local.get $m)))
        (local.set $s3 ({V}.add ({V}.mul (local.get $s3) (local.get $m)) (local.get $m)))
        (local.set $s4 ({V}.add ({V}.mul (local.get $s4) (local.get $m)) (local.get $m)))
        (local.set $s5 ({V}.add ({V}.mul (local.get $s5) (local.get $m)) (local.get $m)))
        (local.set $s6 ({V}.add ({V}.mul (local.get $s6) (local.get $m)) (local.get $m)))
        (local.set $s7 ({V}.add ({V}.mul (local.get $s7) (local.get $m)) (local.get $m)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $round)))
    ({V}.extract_lane 0
      ({V}.add
        ({V}.add ({V}.add (local.get $s0) (local.get $s1)) ({V}.add (local.get $s2) (local.get $s3)))
        ({V}.add ({V}.add (local.get $s4) (local.get $s5)) ({V}.add (local.get $s6) (local.get $s7)))))))
