package dev.mecgw.inference.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mecgw.inference.onnx.InferenceException;
import dev.mecgw.inference.onnx.InferenceException.Reason;
import dev.mecgw.inference.onnx.ModelLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Models in a folder: {@code <root>/<name>/<version>/model.onnx} and {@code metadata.json}, with
 * {@code <root>/<name>/CURRENT} naming the active version. Every file is written to a temporary name and
 * moved into place, so a crash leaves either the old or the new version, never half of one.
 */
public final class FileModelRegistry implements ModelRegistry, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FileModelRegistry.class);
    private static final ObjectMapper JSON =
            JsonMapper.builder().findAndAddModules().build();
    private static final String CURRENT = "CURRENT";

    private final Path root;
    private final ModelLoader loader;
    private final Map<String, LoadedModel> models = new ConcurrentHashMap<>();

    public FileModelRegistry(Path root, ModelLoader loader) {
        this.root = root;
        this.loader = loader;
    }

    /**
     * Loads the current version of every model found under the root. A version that no longer loads is
     * logged and skipped; the others still serve.
     *
     * @return how many models were activated
     */
    public int loadInstalled() {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> names = Files.list(root)) {
            for (Path dir : names.filter(Files::isDirectory).toList()) {
                activateStored(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list models in " + root, e);
        }
        return models.size();
    }

    private void activateStored(Path dir) {
        try {
            String version = Files.readString(dir.resolve(CURRENT), StandardCharsets.UTF_8)
                    .strip();
            Path folder = dir.resolve(version);
            ModelMetadata metadata =
                    JSON.readValue(folder.resolve("metadata.json").toFile(), ModelMetadata.class);
            byte[] bytes = Files.readAllBytes(folder.resolve("model.onnx"));
            verifyHash(metadata, bytes);
            activate(metadata, loader.load(metadata.name(), metadata.version(), bytes, metadata.signature()));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Model in %s not activated: %s", dir, e.getMessage());
        }
    }

    @Override
    public synchronized ModelMetadata install(ModelMetadata metadata, byte[] bytes) {
        List<String> problems = metadata.problems();
        if (!problems.isEmpty()) {
            throw new InferenceException(
                    Reason.INVALID_METADATA, "Invalid model metadata: " + String.join("; ", problems));
        }
        verifyHash(metadata, bytes);
        Path folder = root.resolve(metadata.name()).resolve(metadata.version());
        if (Files.exists(folder) && !sameBytes(folder, metadata.sha256())) {
            throw new InferenceException(
                    Reason.VERSION_EXISTS,
                    "Model " + metadata.name() + " version " + metadata.version()
                            + " already exists with different bytes; use a new version");
        }
        var runner = loader.load(metadata.name(), metadata.version(), bytes, metadata.signature());
        try {
            store(folder, metadata, bytes);
        } catch (IOException | RuntimeException e) {
            runner.close();
            throw new UncheckedIOException(
                    "Cannot store model " + metadata.name(), e instanceof IOException io ? io : new IOException(e));
        }
        activate(metadata, runner);
        LOG.infof("Model %s version %s (%s) is now serving", metadata.name(), metadata.version(), metadata.kind());
        return metadata;
    }

    private void activate(ModelMetadata metadata, dev.mecgw.inference.onnx.ModelRunner runner) {
        LoadedModel previous = models.put(metadata.name(), new LoadedModel(metadata, runner));
        if (previous != null) {
            // Leases still running on the previous version keep it open until they close.
            previous.release();
        }
    }

    @Override
    public ModelLease lease(String name) {
        while (true) {
            LoadedModel model = models.get(name);
            if (model == null) {
                throw new InferenceException(Reason.NOT_FOUND, "Model " + name + " is not installed");
            }
            if (model.retain()) {
                return new ModelLease(model);
            }
            // Lost a race with a swap that released this version: the map already holds the new one.
        }
    }

    @Override
    public Optional<ModelMetadata> current(String name) {
        return Optional.ofNullable(models.get(name)).map(LoadedModel::metadata);
    }

    @Override
    public List<ModelMetadata> list() {
        return models.values().stream()
                .map(LoadedModel::metadata)
                .sorted(Comparator.comparing(ModelMetadata::name))
                .toList();
    }

    @Override
    public List<String> versions(String name) {
        Path dir = modelDir(name);
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(dir)) {
            return folders.filter(f -> Files.isRegularFile(f.resolve("metadata.json")))
                    .sorted(Comparator.comparing(FileModelRegistry::storedAt).thenComparing(Path::getFileName))
                    .map(f -> f.getFileName().toString())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list versions of model " + name, e);
        }
    }

    @Override
    public synchronized ModelMetadata activate(String name, String version) {
        if (!versions(name).contains(version)) {
            throw new InferenceException(Reason.NOT_FOUND, "Model " + name + " has no stored version " + version);
        }
        Path folder = root.resolve(name).resolve(version);
        ModelMetadata metadata;
        byte[] bytes;
        try {
            metadata = JSON.readValue(folder.resolve("metadata.json").toFile(), ModelMetadata.class);
            bytes = Files.readAllBytes(folder.resolve("model.onnx"));
        } catch (IOException e) {
            throw new InferenceException(Reason.CORRUPT_MODEL, "Model " + name + " version " + version + " unreadable");
        }
        verifyHash(metadata, bytes);
        var runner = loader.load(metadata.name(), metadata.version(), bytes, metadata.signature());
        try {
            writeAtomically(root.resolve(name).resolve(CURRENT), version.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            runner.close();
            throw new UncheckedIOException("Cannot activate model " + name, e);
        }
        activate(metadata, runner);
        LOG.infof("Model %s version %s is serving again", name, version);
        return metadata;
    }

    /** The model's folder, or null for a name that is no plain folder name (it could leave the root). */
    private Path modelDir(String name) {
        Path dir = root.resolve(name).normalize();
        return dir.getParent() != null && dir.getParent().equals(root.normalize()) ? dir : null;
    }

    private static FileTime storedAt(Path folder) {
        try {
            return Files.getLastModifiedTime(folder.resolve("metadata.json"));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Releases every current version; sessions close once their leases are closed. */
    @Override
    public void close() {
        models.values().forEach(LoadedModel::release);
        models.clear();
    }

    /** Lower-case hex SHA-256 of some bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    private static void verifyHash(ModelMetadata metadata, byte[] bytes) {
        String actual = sha256(bytes);
        if (!actual.equals(metadata.sha256())) {
            throw new InferenceException(
                    Reason.CHECKSUM_MISMATCH,
                    "SHA-256 of the uploaded model is " + actual + ", declared " + metadata.sha256());
        }
    }

    private static boolean sameBytes(Path folder, String sha256) {
        try {
            return sha256(Files.readAllBytes(folder.resolve("model.onnx"))).equals(sha256);
        } catch (IOException e) {
            return false;
        }
    }

    private void store(Path folder, ModelMetadata metadata, byte[] bytes) throws IOException {
        Files.createDirectories(folder);
        writeAtomically(folder.resolve("model.onnx"), bytes);
        writeAtomically(
                folder.resolve("metadata.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
        writeAtomically(folder.getParent().resolve(CURRENT), metadata.version().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Temp file, fsync, rename, fsync of the directory (issue 14 item 8): after a power cut the model is the old
     * one or the new one, never empty. The same steps as the application's {@code DurableFiles}, which this
     * library cannot import.
     */
    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".upload", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
