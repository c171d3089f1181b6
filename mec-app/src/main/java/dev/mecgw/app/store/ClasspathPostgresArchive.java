package dev.mecgw.app.store;

import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;

/**
 * zonky's archive for this system ({@code postgres-linux-x86_64.txz}) on the class path: in a jar on the JVM, a
 * resource of the image in the native executable. Its identity comes from the jar's central directory (jar name,
 * entry size and CRC-32) or, in the native executable, from the resource's length: neither reads its content.
 */
final class ClasspathPostgresArchive implements PostgresArchive {

    private final String name;
    private final URL url;

    private ClasspathPostgresArchive(String name, URL url) {
        this.name = name;
        this.url = url;
    }

    /**
     * The archive zonky's default resolver would pick on this system without a distribution-specific one, or
     * empty when the class path has none (then zonky's own resolver is used, as before).
     */
    static Optional<PostgresArchive> find(ClassLoader loader) {
        String name = String.format("postgres-%s-%s.txz", system(), ArchUtils.normalize(System.getProperty("os.arch")))
                .toLowerCase(Locale.ROOT);
        URL url = loader.getResource(name);
        return url == null ? Optional.empty() : Optional.of(new ClasspathPostgresArchive(name, url));
    }

    @Override
    public String identity() throws IOException {
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            String jarName = jar.getJarFileURL().getPath();
            return name + " from " + jarName.substring(jarName.lastIndexOf('/') + 1) + ", " + entry.getSize()
                    + " bytes, crc32 " + Long.toHexString(entry.getCrc());
        }
        long size = connection.getContentLengthLong();
        if (size < 0) {
            // A native image resource is a byte array: its length is known without reading it.
            try (InputStream in = connection.getInputStream()) {
                size = in.available();
            }
        }
        return name + ", " + size + " bytes";
    }

    @Override
    public InputStream open() throws IOException {
        return url.openStream();
    }

    private static String system() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return "windows";
        }
        return os.startsWith("mac") ? "darwin" : os;
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
