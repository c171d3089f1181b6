package dev.mecgw.app.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps credentials out of device labels (issue 14.9): labels are replicated to the cloud and shown to every operator,
 * so the user info of an http(s) URL label (a camera's {@code mjpeg-url} with {@code user:password}) is split off
 * and stored as a write-only secret; the label keeps the URL without it.
 *
 * @param labels the labels as stored: URL labels without user info
 * @param userInfo label name to the raw user info taken out of its URL; empty when none carried any
 */
record LabelSecrets(Map<String, String> labels, Map<String, String> userInfo) {

    /**
     * @param labels labels as given by the client
     * @return the labels to store and the user info taken out of them
     */
    static LabelSecrets split(Map<String, String> labels) {
        Map<String, String> clean = new LinkedHashMap<>();
        Map<String, String> userInfo = new LinkedHashMap<>();
        labels.forEach((name, value) -> {
            Optional<URI> url = urlWithUserInfo(value);
            if (url.isPresent()) {
                userInfo.put(name, url.get().getRawUserInfo());
                clean.put(name, withUserInfo(url.get(), null).toString());
            } else {
                clean.put(name, value);
            }
        });
        return new LabelSecrets(clean, userInfo);
    }

    /**
     * @param value a label value as stored (without user info)
     * @param userInfo the stored raw user info of that label
     * @return the URL with its user info again, for the gateway's own use (never stored or logged)
     */
    static String join(String value, String userInfo) {
        try {
            URI url = new URI(value.trim());
            return url.getHost() == null ? value : withUserInfo(url, userInfo).toString();
        } catch (URISyntaxException e) {
            return value;
        }
    }

    private static Optional<URI> urlWithUserInfo(String value) {
        try {
            URI url = new URI(value.trim());
            boolean http = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
            return http && url.getRawUserInfo() != null && url.getHost() != null ? Optional.of(url) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static URI withUserInfo(URI url, String rawUserInfo) {
        StringBuilder text = new StringBuilder(url.getScheme()).append("://");
        if (rawUserInfo != null) {
            text.append(rawUserInfo).append('@');
        }
        text.append(url.getRawAuthority().substring(url.getRawAuthority().lastIndexOf('@') + 1));
        if (url.getRawPath() != null) {
            text.append(url.getRawPath());
        }
        if (url.getRawQuery() != null) {
            text.append('?').append(url.getRawQuery());
        }
        if (url.getRawFragment() != null) {
            text.append('#').append(url.getRawFragment());
        }
        return URI.create(text.toString());
    }
}
