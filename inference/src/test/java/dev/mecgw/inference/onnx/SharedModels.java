package dev.mecgw.inference.onnx;

import dev.mecgw.inference.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real models in the fixtures folder ({@link Fixtures#models()}). */
public final class SharedModels {

    private SharedModels() {}

    /** The models folder; fails the test run when it cannot be found. */
    public static Path root() {
        Path models = Fixtures.models();
        if (!Files.isRegularFile(models.resolve("README.md"))) {
            throw new IllegalStateException("models not found at " + models + " (set " + Fixtures.ENV + ")");
        }
        return models;
    }

    public static Path model(String folder) {
        return root().resolve(folder).resolve("model.onnx");
    }

    public static byte[] bytes(String folder) {
        try {
            return Files.readAllBytes(model(folder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code test_data_set_*} folders of a model, sorted. */
    public static List<Path> dataSets(String folder) {
        try (Stream<Path> entries = Files.list(root().resolve(folder))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("test_data_set_"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return root().resolve("images").resolve(name);
    }
}
