package dev.mecgw.inference.onnx;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads serialized {@code onnx.TensorProto} files, the format of ONNX test data sets
 * ({@code test_data_set_N/input_K.pb}), with the ONNX protobuf classes Tribuo ships.
 */
public final class OnnxTensorFiles {

    private OnnxTensorFiles() {}

    /**
     * Reads one float32 tensor.
     *
     * @throws IOException when the file is unreadable or holds no float32 tensor
     */
    public static FloatTensor read(Path file) throws IOException {
        OnnxMl.TensorProto proto;
        try (InputStream in = Files.newInputStream(file)) {
            proto = OnnxMl.TensorProto.parseFrom(in);
        }
        if (proto.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new IOException(file + " is not a float32 tensor (data_type " + proto.getDataType() + ")");
        }
        long[] shape = proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
        float[] data;
        if (!proto.getRawData().isEmpty()) {
            ByteBuffer raw = proto.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            data = new float[raw.remaining() / Float.BYTES];
            raw.asFloatBuffer().get(data);
        } else {
            data = new float[proto.getFloatDataCount()];
            for (int i = 0; i < data.length; i++) {
                data[i] = proto.getFloatData(i);
            }
        }
        return new FloatTensor(proto.getName(), shape, data);
    }
}
