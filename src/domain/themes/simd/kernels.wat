;; Throughline's similarity kernels: dot products of float32 rows with WebAssembly SIMD (four lanes,
;; four accumulators), and the loops of spherical k-means around them, so that a clustering step is
;; one call rather than one call per pair of vectors. Compiled to kernels.wasm.ts by
;; `npm run build:kernels` (scripts/build-kernels.ts); a unit test checks that the two agree.
;;
;; Conventions: every pointer is a byte offset into the imported memory; a row is `row` bytes long,
;; a multiple of 64 (rows are padded with zeros to 16 floats); matrices are row-major and contiguous.
(module
  (memory (import "env" "memory") 1)

  ;; a · b over `bytes` bytes (a multiple of 64).
  (func $dot (export "dot") (param $a i32) (param $b i32) (param $bytes i32) (result f32)
    (local $end i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $end (i32.add (local.get $a) (local.get $bytes)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $s0 (f32x4.add (local.get $s0)
          (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $s1 (f32x4.add (local.get $s1)
          (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $s2 (f32x4.add (local.get $s2)
          (f32x4.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)))))
        (local.set $s3 (f32x4.add (local.get $s3)
          (f32x4.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br $next)))
    (local.set $s0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1))
                              (f32x4.add (local.get $s2) (local.get $s3))))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))

  ;; For each of the m rows of `mat`: the most similar of the k rows of `cent` (ties to the lower
  ;; index) into labels[i] (i32) and that similarity into sim[i] (f32).
  (func (export "nearest") (param $mat i32) (param $m i32) (param $row i32) (param $cent i32)
        (param $k i32) (param $labels i32) (param $sim i32)
    (local $i i32) (local $c i32) (local $x i32) (local $cp i32) (local $best i32)
    (local $bestSim f32) (local $s f32)
    (local.set $x (local.get $mat))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $best (i32.const 0))
        (local.set $bestSim (f32.const -inf))
        (local.set $c (i32.const 0))
        (local.set $cp (local.get $cent))
        (block $centresDone
          (loop $centres
            (br_if $centresDone (i32.ge_u (local.get $c) (local.get $k)))
            (local.set $s (call $dot (local.get $x) (local.get $cp) (local.get $row)))
            (if (f32.gt (local.get $s) (local.get $bestSim))
              (then (local.set $bestSim (local.get $s)) (local.set $best (local.get $c))))
            (local.set $cp (i32.add (local.get $cp) (local.get $row)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $centres)))
        (i32.store (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))
                   (local.get $best))
        (f32.store (i32.add (local.get $sim) (i32.shl (local.get $i) (i32.const 2)))
                   (local.get $bestSim))
        (local.set $x (i32.add (local.get $x) (local.get $row)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; One assignment step of k-means with Elkan-style bounds. bound (m × k f32) holds an upper bound
  ;; on each row's similarity to each centre; labels[i] is the row's current centre (or −1 for none).
  ;; The row's similarity to its own centre is computed; any other centre whose bound exceeds the best
  ;; similarity so far is computed too (and its bound made exact). Returns how many rows changed.
  (func (export "assign") (param $mat i32) (param $m i32) (param $row i32) (param $cent i32)
        (param $k i32) (param $bound i32) (param $labels i32) (param $sim i32) (result i32)
    (local $i i32) (local $c i32) (local $x i32) (local $b i32) (local $bc i32) (local $old i32)
    (local $best i32) (local $moved i32) (local $bestSim f32) (local $s f32)
    (local.set $x (local.get $mat))
    (local.set $b (local.get $bound))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $old (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $best (select (local.get $old) (i32.const 0)
                                 (i32.ge_s (local.get $old) (i32.const 0))))
        (local.set $bestSim (call $dot (local.get $x)
          (i32.add (local.get $cent) (i32.mul (local.get $best) (local.get $row))) (local.get $row)))
        (f32.store (i32.add (local.get $b) (i32.shl (local.get $best) (i32.const 2)))
                   (local.get $bestSim))
        (local.set $c (i32.const 0))
        (block $centresDone
          (loop $centres
            (br_if $centresDone (i32.ge_u (local.get $c) (local.get $k)))
            (local.set $bc (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 2))))
            (if (i32.and (i32.ne (local.get $c) (local.get $best))
                         (f32.gt (f32.load (local.get $bc)) (local.get $bestSim)))
              (then
                (local.set $s (call $dot (local.get $x)
                  (i32.add (local.get $cent) (i32.mul (local.get $c) (local.get $row)))
                  (local.get $row)))
                (f32.store (local.get $bc) (local.get $s))
                (if (f32.gt (local.get $s) (local.get $bestSim))
                  (then (local.set $bestSim (local.get $s)) (local.set $best (local.get $c))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $centres)))
        (local.set $moved (i32.add (local.get $moved) (i32.ne (local.get $best) (local.get $old))))
        (i32.store (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))
                   (local.get $best))
        (f32.store (i32.add (local.get $sim) (i32.shl (local.get $i) (i32.const 2)))
                   (local.get $bestSim))
        (local.set $x (i32.add (local.get $x) (local.get $row)))
        (local.set $b (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (local.get $moved))

  ;; out[i · stride] = row i of mat · vec, for the m rows of mat (stride in bytes).
  (func (export "column") (param $mat i32) (param $m i32) (param $row i32) (param $vec i32)
        (param $out i32) (param $stride i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $mat) (i32.mul (local.get $m) (local.get $row))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $mat) (local.get $end)))
        (f32.store (local.get $out) (call $dot (local.get $mat) (local.get $vec) (local.get $row)))
        (local.set $mat (i32.add (local.get $mat) (local.get $row)))
        (local.set $out (i32.add (local.get $out) (local.get $stride)))
        (br $rows))))

  ;; out[i · nb + j] = row idx[i] of a · row j of b, for the `count` rows listed in idx (i32).
  (func (export "similarities") (param $a i32) (param $idx i32) (param $count i32) (param $row i32)
        (param $b i32) (param $nb i32) (param $out i32)
    (local $i i32) (local $j i32) (local $x i32) (local $y i32)
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $x (i32.add (local.get $a) (i32.mul (local.get $row)
          (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $y (local.get $b))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $nb)))
            (f32.store (local.get $out) (call $dot (local.get $x) (local.get $y) (local.get $row)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $y (i32.add (local.get $y) (local.get $row)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; sums[labels[i]] += row i of mat, for the m rows of mat (sums must start as the caller wants).
  (func (export "accumulate") (param $mat i32) (param $m i32) (param $row i32) (param $labels i32)
        (param $sums i32)
    (local $i i32) (local $x i32) (local $y i32) (local $end i32)
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $y (i32.add (local.get $sums) (i32.mul (local.get $row)
          (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $x (i32.add (local.get $mat) (i32.mul (local.get $i) (local.get $row))))
        (local.set $end (i32.add (local.get $x) (local.get $row)))
        (block $done
          (loop $lanes
            (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
            (v128.store (local.get $y) (f32x4.add (v128.load (local.get $y)) (v128.load (local.get $x))))
            (v128.store offset=16 (local.get $y)
              (f32x4.add (v128.load offset=16 (local.get $y)) (v128.load offset=16 (local.get $x))))
            (v128.store offset=32 (local.get $y)
              (f32x4.add (v128.load offset=32 (local.get $y)) (v128.load offset=32 (local.get $x))))
            (v128.store offset=48 (local.get $y)
              (f32x4.add (v128.load offset=48 (local.get $y)) (v128.load offset=48 (local.get $x))))
            (local.set $x (i32.add (local.get $x) (i32.const 64)))
            (local.set $y (i32.add (local.get $y) (i32.const 64)))
            (br $lanes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; bound[i · k + c] += drift[c] for the m rows of bound (m × k f32): after the centres move by
  ;; drift, a row's similarity to each can have grown by at most that much.
  (func (export "addDrift") (param $bound i32) (param $m i32) (param $k i32) (param $drift i32)
    (local $end i32) (local $c i32)
    (local.set $end (i32.add (local.get $bound)
      (i32.shl (i32.mul (local.get $m) (local.get $k)) (i32.const 2))))
    (block $done
      (loop $cells
        (br_if $done (i32.ge_u (local.get $bound) (local.get $end)))
        (f32.store (local.get $bound) (f32.add (f32.load (local.get $bound))
          (f32.load (i32.add (local.get $drift) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $bound (i32.add (local.get $bound) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (if (i32.eq (local.get $c) (local.get $k)) (then (local.set $c (i32.const 0))))
        (br $cells))))
)
