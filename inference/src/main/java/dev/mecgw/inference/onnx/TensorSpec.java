package dev.mecgw.inference.onnx;

import java.util.Arrays;

/**
 * Declared name and shape of one model input or output.
 *
 * @param name graph name, never null
 * @param shape dimensions; -1 (or any non-positive value) marks a free dimension such as the batch
 */
public record TensorSpec(String name, long[] shape) {

    /** Whether a concrete shape fits this spec: same rank, and equal wherever both sides are fixed. */
    public boolean accepts(long[] other) {
        if (other.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 0 && other[i] > 0 && shape[i] != other[i]) {
                return false;
            }
        }
        return true;
    }

    /** Number of elements of a concrete shape. */
    public static long elements(long[] shape) {
        long elements = 1;
        for (long dim : shape) {
            elements *= dim;
        }
        return elements;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
