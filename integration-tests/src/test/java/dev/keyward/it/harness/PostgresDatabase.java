package dev.keyward.it.harness;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh PostgreSQL database per test run, so runs never see each other's realms or users (and
 * Keycloak's Liquibase changelogs, ours included later, run from scratch). Dropped after the run.
 * Settings: {@code keyward.it.pg.host} (127.0.0.1), {@code .port} (5432), {@code .user} (postgres),
 * {@code .password} (empty: the CI machines use trust authentication).
 */
public final class PostgresDatabase implements TestDatabase {
    private final String host = ItConfig.get("keyward.it.pg.host", "127.0.0.1");
    private final String port = ItConfig.get("keyward.it.pg.port", "5432");
    private final String user = ItConfig.get("keyward.it.pg.user", "postgres");
    private final String password = ItConfig.get("keyward.it.pg.password", "");
    private final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    public static PostgresDatabase create() {
        // timestamp + random suffix: unique per run, and leftovers of a killed run say when they came from
        String name = "keyward_it_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")) + "_"
                + ThreadLocalRandom.current().nextInt(1000, 10000);
        PostgresDatabase db = new PostgresDatabase(name);
        db.execute("CREATE DATABASE " + name);
        return db;
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public List<String> keycloakArgs() {
        return List.of("--db=postgres", "--db-url=" + jdbcUrl(name), "--db-username=" + user);
    }

    @Override
    public Map<String, String> keycloakEnv() {
        return password.isEmpty() ? Map.of() : Map.of("KC_DB_PASSWORD", password);
    }

    @Override
    public Connection connect(java.nio.file.Path keycloakHome) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl(name), props);
    }

    @Override
    public String describe() {
        return "PostgreSQL " + jdbcUrl(name);
    }

    @Override
    public void close() {
        // FORCE (PostgreSQL 13+): a Keycloak that did not stop cleanly must not keep the database alive
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void execute(String sql) {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), props);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + host + ":" + port + " failed: " + sql
                            + " (is it running? settings keyward.it.pg.*)",
                    e);
        }
    }
}
