package dev.mecgw.app.ota;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A pool in front of the real one that counts what reaches the disk (issue 18, rollout of many devices): commits of
 * transactions, and writing statements run in auto-commit mode (each one its own fsync'd commit).
 */
final class CountingDataSource {

    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger autoCommitWrites = new AtomicInteger();
    final DataSource dataSource;

    CountingDataSource(DataSource real) {
        this.dataSource = proxy(DataSource.class, (self, method, args) -> {
            Object result = call(real, method, args);
            return method.getName().equals("getConnection") ? connection((Connection) result) : result;
        });
    }

    /** Commits plus auto-committed writes: how many times the database made something durable. */
    int durableCommits() {
        return commits.get() + autoCommitWrites.get();
    }

    void reset() {
        commits.set(0);
        autoCommitWrites.set(0);
    }

    private Connection connection(Connection real) {
        return proxy(Connection.class, (self, method, args) -> {
            if (method.getName().equals("commit")) {
                commits.incrementAndGet();
            }
            Object result = call(real, method, args);
            if (method.getName().equals("prepareStatement")) {
                return statement(real, (PreparedStatement) result, (String) args[0]);
            }
            return result;
        });
    }

    private PreparedStatement statement(Connection connection, PreparedStatement real, String sql) {
        boolean write = !sql.stripLeading().toUpperCase(Locale.ROOT).startsWith("SELECT");
        return proxy(PreparedStatement.class, (self, method, args) -> {
            if (write && method.getName().startsWith("execute") && connection.getAutoCommit()) {
                autoCommitWrites.incrementAndGet();
            }
            return call(real, method, args);
        });
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
