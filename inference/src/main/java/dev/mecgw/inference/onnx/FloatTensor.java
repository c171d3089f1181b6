package dev.mecgw.inference.onnx;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order, the only element type the gateway's models exchange.
 *
 * @param name graph name of the input or output it belongs to, never null
 * @param shape dimensions, outermost first; every entry is positive
 * @param data the values, {@code product(shape)} of them; the array is shared, not copied
 */
public record FloatTensor(String name, long[] shape, float[] data) {

    public FloatTensor {
        long elements = 1;
        for (long dim : shape) {
            if (dim <= 0) {
                throw new IllegalArgumentException(
                        "Tensor " + name + " has a non-positive dimension: " + Arrays.toString(shape));
            }
            elements *= dim;
        }
        if (elements != data.length) {
            throw new IllegalArgumentException("Tensor " + name + " of shape " + Arrays.toString(shape) + " needs "
                    + elements + " values, got " + data.length);
        }
    }

    /** Number of rows along the first dimension (the batch size for batched models). */
    public int rows() {
        return (int) shape[0];
    }

    /** The values of row {@code row} along the first dimension, copied. */
    public float[] row(int row) {
        int width = data.length / rows();
        return Arrays.copyOfRange(data, row * width, (row + 1) * width);
    }

    @Override
    public String toString() {
        return "FloatTensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
