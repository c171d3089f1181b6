package dev.mecgw.inference.onnx;

import dev.mecgw.testsupport.fixtures.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real models in the fixtures folder ({@code models/} of {@link Fixtures#dir()}). Each accessor {@linkplain Fixtures#require
 * requires} the files it reads, so a test without them is skipped (failed under {@code CI=true}) naming the file.
 */
public final class SharedModels {

    private SharedModels() {}

    public static Path model(String folder) {
        return Fixtures.require("models/" + folder + "/model.onnx");
    }

    public static byte[] bytes(String folder) {
        try {
            return Files.readAllBytes(model(folder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One reference data set, e.g. {@code dataSet("vww-mobilenetv1-96", 1)}. */
    public static Path dataSet(String folder, int index) {
        return Fixtures.require("models/" + folder + "/test_data_set_" + index);
    }

    /** Reads {@code input_K.pb} or {@code output_K.pb} files of a data set, in index order. */
    public static List<FloatTensor> tensors(Path dataSet, String prefix) {
        try (Stream<Path> entries = Files.list(dataSet)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted()
                    .map(p -> {
                        try {
                            return OnnxTensorFiles.read(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The inputs of a data set, named after the graph's inputs where the file leaves the name empty. */
    public static List<FloatTensor> inputs(Path dataSet, ModelSignature signature) {
        List<FloatTensor> files = tensors(dataSet, "input_");
        return java.util.stream.IntStream.range(0, files.size())
                .mapToObj(k -> files.get(k).name().isEmpty()
                        ? new FloatTensor(
                                signature.inputs().get(k).name(),
                                files.get(k).shape(),
                                files.get(k).data())
                        : files.get(k))
                .toList();
    }

    public static Path image(String name) {
        return Fixtures.require("models/images/" + name);
    }
}
