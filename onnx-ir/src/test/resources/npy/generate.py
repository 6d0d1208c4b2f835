"""Writes the .npy/.npz files the verifier's NpyTest reads back. Run with Debian's python3-numpy:
    /usr/bin/python3 generate.py
Each file's expected content is repeated in NpyTest, so a change here needs a change there."""
import numpy as np

np.save("f32_2x3.npy", np.arange(6, dtype=np.float32).reshape(2, 3) / 4)
np.save("f64_scalar.npy", np.array(2.5, dtype=np.float64))
np.save("i64_4.npy", np.array([-3, 0, 7, 2**40], dtype=np.int64))
np.save("i8_3.npy", np.array([-128, 0, 127], dtype=np.int8))
np.save("u8_2x2.npy", np.array([[0, 1], [254, 255]], dtype=np.uint8))
np.save("bool_3.npy", np.array([True, False, True]))
np.save("f16_3.npy", np.array([1.0, -2.5, 65504.0], dtype=np.float16))
np.save("f32_big_endian.npy", np.array([1.5, -2.0, 3.25], dtype=">f4"))
np.save("f32_fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
np.save("f32_empty_0x3.npy", np.zeros((0, 3), dtype=np.float32))
np.save("i32_1x3x2x2.npy", np.arange(12, dtype=np.int32).reshape(1, 3, 2, 2))
np.savez("pair.npz", x=np.arange(6, dtype=np.float32).reshape(2, 3) / 4, ids=np.array([1, 2], dtype=np.int64))
np.savez_compressed("pair_compressed.npz", x=np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
                    ids=np.array([1, 2], dtype=np.int64))
np.save("object.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
np.save("complex.npy", np.array([1 + 2j], dtype=np.complex64))
