package dev.keyward.it;

import java.util.List;
import java.util.Map;

/** The database one Keycloak run uses: chosen with {@code keyward.it.db} = {@code postgres} (default) or {@code dev-file}. */
interface TestDatabase extends AutoCloseable {

    /** Options for {@code kc.sh start-dev}. */
    List<String> keycloakArgs();

    /** Environment for kc.sh: secrets go here, not on the command line, where ps would show them. */
    default Map<String, String> keycloakEnv() {
        return Map.of();
    }

    String describe();

    /** Called after Keycloak has stopped. */
    @Override
    void close();

    static TestDatabase fromConfig() {
        String kind = ItConfig.get("keyward.it.db", "postgres");
        switch (kind) {
            case "postgres":
                return PostgresDatabase.create();
            case "dev-file":
                // H2 files live in the per-run copy of the distribution, which the next run deletes
                return new TestDatabase() {
                    @Override
                    public List<String> keycloakArgs() {
                        return List.of("--db=dev-file");
                    }

                    @Override
                    public String describe() {
                        return "dev H2 (file)";
                    }

                    @Override
                    public void close() {
                    }
                };
            default:
                throw new IllegalArgumentException("keyward.it.db must be postgres or dev-file, not " + kind);
        }
    }
}
