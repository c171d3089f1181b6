package dev.mecgw.app.console;

import dev.mecgw.app.credentials.LoginThrottle;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.gateway.DataDirectory;
import dev.mecgw.app.gateway.SecureRandomSource;
import dev.mecgw.app.problem.GatewayException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * The console's entry: users, logins, sessions and passwords (issue 19). Passwords are PBKDF2 hashes; a
 * session is a random token whose SHA-256 alone is stored, so neither a log nor a copy of the database can
 * be replayed as a login. Blocking (JDBC and PBKDF2): call from worker threads. Thread-safe.
 */
public final class ConsoleAccess {

    /** The user created at first start, with a random password in {@link #ADMIN_PASSWORD_FILE}. */
    public static final String ADMIN = "admin";

    /** The admin's first password, relative to the data directory (mode 0600). */
    public static final String ADMIN_PASSWORD_FILE = "console-admin-password";

    /** Most user names and addresses whose failures are tracked at once (the least recently failed go first). */
    private static final int MAX_THROTTLE_KEYS = 10_000;

    private final PostgresConsoleUsers store;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final ConsoleEvents events;
    private final ConsoleConfig config;
    private final Clock clock;
    /**
     * Verified against when the user does not exist, so that a miss costs as long as a wrong password. Hashed off
     * the start-up path (600,000 PBKDF2 rounds took 2 s of the native executable's start, issue 22); a login that
     * comes first waits for it.
     */
    private final CompletableFuture<String> decoyHash;

    private ConsoleAccess(PostgresConsoleUsers store, ConsoleEvents events, ConsoleConfig config, Clock clock) {
        this.store = store;
        this.hasher = new PasswordHasher(config.pbkdf2Iterations());
        this.throttle = new LoginThrottle(
                config.loginFailuresPerUser(),
                config.loginFailuresPerAddress(),
                config.loginWindow(),
                clock,
                MAX_THROTTLE_KEYS);
        this.events = events;
        this.config = config;
        this.clock = clock;
        this.decoyHash = CompletableFuture.supplyAsync(() -> hasher.hash(randomToken(16)));
    }

    /** Builds the console's access on the local PostgreSQL. */
    public static ConsoleAccess onDatabase(
            DataSource dataSource, ConsoleEvents events, ConsoleConfig config, Clock clock) {
        return new ConsoleAccess(new PostgresConsoleUsers(dataSource), events, config, clock);
    }

    /**
     * Creates the {@code admin} operator when there is no console user at all, with a random password kept
     * in {@code <data-dir>/console-admin-password} (mode 0600) that must be changed at first login.
     *
     * @return the password file when this call created the admin, so that the caller can log its path
     */
    public Optional<Path> ensureAdmin(DataDirectory dataDirectory) {
        if (store.count() > 0) {
            return Optional.empty();
        }
        DataDirectory.Secret secret = dataDirectory.secret(ADMIN_PASSWORD_FILE, 18, true);
        String password = new String(secret.bytes(), StandardCharsets.UTF_8).strip();
        if (!store.insert(ADMIN, ConsoleRole.OPERATOR, hasher.hash(password), true)) {
            return Optional.empty();
        }
        return Optional.of(secret.file());
    }

    /**
     * Checks a user name and password, throttled per name and per client address.
     *
     * @param address the client's address, for throttling and the security event
     */
    public LoginResult login(String username, String password, String address) {
        String name = username == null ? "" : username.strip();
        if (!throttle.allowed(name, address)) {
            events.security("login.throttled", "warning", Map.of("username", name, "address", address));
            return LoginResult.refused(LoginResult.Outcome.THROTTLED);
        }
        Optional<PostgresConsoleUsers.StoredUser> stored = store.find(name);
        boolean matches = hasher.verify(
                        password == null ? "" : password,
                        stored.map(PostgresConsoleUsers.StoredUser::passwordHash)
                                .orElseGet(decoyHash::join))
                && stored.isPresent();
        if (!matches) {
            throttle.failed(name, address);
            events.security("login.failed", "warning", Map.of("username", name, "address", address));
            return LoginResult.refused(LoginResult.Outcome.BAD_CREDENTIALS);
        }
        throttle.succeeded(name);
        ConsoleUser user = stored.get().user();
        String token = randomToken(32);
        Instant now = clock.instant();
        store.deleteExpiredSessions(now);
        store.insertSession(sha256(token), user.name(), now.plus(config.sessionLifetime()));
        events.record(user, "login", null, Map.of("address", address));
        return new LoginResult(LoginResult.Outcome.ACCEPTED, user, token);
    }

    /** The user of a session cookie's token, when the session exists and has not expired. */
    public Optional<ConsoleUser> session(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return store.session(sha256(token), clock.instant());
    }

    /** Ends a session (logout). */
    public void logout(ConsoleUser user, String token) {
        store.deleteSession(sha256(token));
        events.record(user, "logout", null, Map.of());
    }

    /**
     * Replaces the user's own password; ends the user's other sessions.
     *
     * @throws GatewayException bad request naming the field: wrong current password, too short, unchanged,
     *     or the confirmation differs
     */
    public void changePassword(ConsoleUser user, String token, String current, String next, String confirm) {
        String stored = store.find(user.name())
                .map(PostgresConsoleUsers.StoredUser::passwordHash)
                .orElseThrow(() -> GatewayException.notFound("Console user " + user.name()));
        if (!hasher.verify(current == null ? "" : current, stored)) {
            throw GatewayException.badField("current", "is not your current password");
        }
        checkNewPassword(next, "password");
        if (next.equals(current)) {
            throw GatewayException.badField("password", "must differ from the current password");
        }
        if (!next.equals(confirm)) {
            throw GatewayException.badField("confirm", "does not match the new password");
        }
        store.setPassword(user.name(), hasher.hash(next), false);
        store.deleteSessionsOf(user.name(), sha256(token));
        events.record(user, "password.changed", null, Map.of());
    }

    /**
     * Creates a console user (REST API, admin token) whose password must be changed at first login.
     *
     * @throws GatewayException bad request for a taken or malformed name or a short password
     */
    public ConsoleUser createUser(String username, ConsoleRole role, String password) {
        if (username == null || !username.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw GatewayException.badField(
                    "username",
                    "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        checkNewPassword(password, "password");
        if (!store.insert(username, role, hasher.hash(password), true)) {
            throw GatewayException.badField("username", "is taken");
        }
        return new ConsoleUser(username, role, true);
    }

    /** Sets a new password chosen by an administrator; the user must change it at next login. */
    public boolean resetPassword(String username, String password) {
        checkNewPassword(password, "password");
        boolean found = store.setPassword(username, hasher.hash(password), true);
        if (found) {
            store.deleteSessionsOf(username, null);
        }
        return found;
    }

    /** Every console user, by name. */
    public List<ConsoleUser> users() {
        return store.list();
    }

    /** Deletes a user and its sessions; false when there was none. */
    public boolean deleteUser(String username) {
        return store.delete(username);
    }

    private void checkNewPassword(String password, String field) {
        if (password == null || password.length() < config.minPasswordLength()) {
            throw GatewayException.badField(field, "must have at least " + config.minPasswordLength() + " characters");
        }
    }

    private static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        SecureRandomSource.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
