package dev.keyward.vault;

import jakarta.persistence.EntityManager;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Re-encrypts every row that is not under the active key, in batches of one transaction each.
 * The database is the progress record: a batch that did not commit left its rows under the old key,
 * so a rotation stopped, crashed or killed at any point resumes by starting again; rows written
 * meanwhile are already under the active key and are not selected. A row changed by its owner
 * between a batch's read and write is left alone (its version moved; it is under the active key).
 * Which node runs it, the stop request and the progress live in Keycloak's single-use object
 * store, so every node of a cluster sees them; the running node holds a lease it renews each batch.
 */
final class KeyRotation {
    private static final Logger LOG = Logger.getLogger(KeyRotation.class);
    static final String STATUS_KEY = "keyward-vault-rotation";
    static final String LEASE_KEY = "keyward-vault-rotation-lease";
    static final String STOP_KEY = "keyward-vault-rotation-stop";
    /** A killed node's lease runs out after this; then the rotation can be started elsewhere. */
    static final int LEASE_SECONDS = 60;

    static final int STATUS_SECONDS = 30 * 24 * 3600;
    private static final int FAILED_IDS_SHOWN = 20;

    private final KeycloakSessionFactory factory;
    private final SecretEnvelope envelope;
    private final int batchSize;
    private final String node = ManagementFactory.getRuntimeMXBean().getName();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "keyward-vault-rotation");
        t.setDaemon(true);
        return t;
    });

    KeyRotation(KeycloakSessionFactory factory, SecretEnvelope envelope, int batchSize) {
        this.factory = factory;
        this.envelope = envelope;
        this.batchSize = batchSize;
    }

    /** Rotation already running (on this or another node). */
    static final class AlreadyRunningException extends Exception {
        private static final long serialVersionUID = 1L;

        AlreadyRunningException(String message) {
            super(message);
        }
    }

    /**
     * Starts a rotation on this node.
     *
     * @return the status right after starting
     * @throws AlreadyRunningException if a node holds the lease
     */
    Map<String, Object> start(KeycloakSession session) throws AlreadyRunningException {
        SingleUseObjectProvider store = session.singleUseObjects();
        // putIfAbsent is immediate and atomic across the cluster: exactly one starter wins
        if (!store.putIfAbsent(LEASE_KEY, LEASE_SECONDS)) {
            throw new AlreadyRunningException("a key rotation is already running");
        }
        store.remove(STOP_KEY);
        Map<String, String> status = new LinkedHashMap<>();
        status.put("state", "running");
        status.put("node", node);
        status.put("targetKeyId", envelope.keyring().activeId());
        status.put("startedAt", Long.toString(Time.currentTimeMillis()));
        status.put("rewritten", "0");
        status.put("skipped", "0");
        status.put("failed", "0");
        store.put(STATUS_KEY, STATUS_SECONDS, status);
        LOG.infof(
                "Keyward vault: key rotation to '%s' started on %s",
                envelope.keyring().activeId(), node);
        // the status write is part of the request's transaction: start the worker once it is visible
        session.getTransactionManager().enlistAfterCompletion(new org.keycloak.models.AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                executor.submit(() -> run(new LinkedHashMap<>(status)));
            }

            @Override
            protected void rollbackImpl() {
                KeycloakModelUtils.runJobInTransaction(
                        factory, s -> s.singleUseObjects().remove(LEASE_KEY));
            }
        });
        return status(session);
    }

    /**
     * Asks the running rotation to stop after its current batch.
     *
     * @return false if none is running
     */
    boolean requestStop(KeycloakSession session) {
        SingleUseObjectProvider store = session.singleUseObjects();
        if (!store.contains(LEASE_KEY)) {
            return false;
        }
        store.put(STOP_KEY, LEASE_SECONDS * 5, Map.of("requestedAt", Long.toString(Time.currentTimeMillis())));
        return true;
    }

    /** @return the last rotation's progress; state {@code interrupted} when its node stopped renewing the lease */
    Map<String, Object> status(KeycloakSession session) {
        Map<String, String> notes = session.singleUseObjects().get(STATUS_KEY);
        Map<String, Object> out = new LinkedHashMap<>();
        if (notes == null) {
            out.put("state", "idle");
            return out;
        }
        // a fixed order for people reading it; counters and times as numbers
        for (String key : List.of(
                "state",
                "targetKeyId",
                "node",
                "startedAt",
                "finishedAt",
                "rewritten",
                "skipped",
                "failed",
                "failedRows",
                "error")) {
            String v = notes.get(key);
            if (v != null) {
                out.put(
                        key,
                        key.endsWith("At") || key.equals("rewritten") || key.equals("skipped") || key.equals("failed")
                                ? (Object) Long.valueOf(v)
                                : v);
            }
        }
        if ("running".equals(notes.get("state")) && !session.singleUseObjects().contains(LEASE_KEY)) {
            out.put("state", "interrupted");
        }
        return out;
    }

    private void run(Map<String, String> status) {
        String cursor = "";
        long rewritten = 0;
        long skipped = 0;
        long failed = 0;
        List<String> failedIds = new ArrayList<>();
        long started = System.nanoTime();
        try {
            while (true) {
                String after = cursor;
                Batch batch = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> batch(s, after));
                rewritten += batch.rewritten;
                skipped += batch.skipped;
                failed += batch.failed.size();
                batch.failed.stream()
                        .limit(Math.max(0, FAILED_IDS_SHOWN - failedIds.size()))
                        .forEach(failedIds::add);
                status.put("rewritten", Long.toString(rewritten));
                status.put("skipped", Long.toString(skipped));
                status.put("failed", Long.toString(failed));
                if (!failedIds.isEmpty()) {
                    status.put("failedRows", String.join(",", failedIds));
                }
                boolean done = batch.lastId == null;
                cursor = done ? cursor : batch.lastId;
                boolean stop = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
                    SingleUseObjectProvider store = s.singleUseObjects();
                    boolean stopRequested = store.remove(STOP_KEY) != null;
                    if (done || stopRequested) {
                        status.put("state", done ? "done" : "stopped");
                        status.put("finishedAt", Long.toString(Time.currentTimeMillis()));
                    }
                    // a copy: a local cache may keep the very object, which this thread goes on changing
                    store.put(STATUS_KEY, STATUS_SECONDS, new LinkedHashMap<>(status));
                    if (!done && !stopRequested) {
                        store.put(LEASE_KEY, LEASE_SECONDS, Map.of("node", node));
                    }
                    return stopRequested;
                });
                if (done || stop) {
                    LOG.infof(
                            "Keyward vault: key rotation %s: %d rewritten, %d changed meanwhile, %d undecryptable, %d s",
                            status.get("state"),
                            rewritten,
                            skipped,
                            failed,
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(
                    "Keyward vault: key rotation failed after %d rows: %s",
                    rewritten, e.getClass().getName());
            status.put("state", "failed");
            status.put("error", e.getClass().getSimpleName());
            status.put("finishedAt", Long.toString(Time.currentTimeMillis()));
            KeycloakModelUtils.runJobInTransaction(
                    factory, s -> s.singleUseObjects().put(STATUS_KEY, STATUS_SECONDS, new LinkedHashMap<>(status)));
        } finally {
            KeycloakModelUtils.runJobInTransaction(
                    factory, s -> s.singleUseObjects().remove(LEASE_KEY));
        }
    }

    private record Batch(String lastId, long rewritten, long skipped, List<String> failed) {}

    private Batch batch(KeycloakSession session, String after) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        String active = envelope.keyring().activeId();
        List<Object[]> rows = em.createNamedQuery("keywardVaultSecret.stale", Object[].class)
                .setParameter("activeKeyId", active)
                .setParameter("after", after)
                .setMaxResults(batchSize)
                .getResultList();
        long rewritten = 0;
        long skipped = 0;
        List<String> failed = new ArrayList<>();
        long now = Time.currentTimeMillis();
        for (Object[] row : rows) {
            String id = (String) row[0];
            // the row's upstream binding is part of its associated data: opened and sealed again with it, unchanged
            SecretBinding binding = SecretBinding.stored(
                    (String) row[1], (String) row[2], (String) row[3], (String) row[4], (String) row[7]);
            byte[] plaintext = null;
            try {
                plaintext = envelope.open(binding, (byte[]) row[5]);
                int updated = em.createNamedQuery("keywardVaultSecret.reencrypt")
                        .setParameter("envelope", envelope.seal(binding, plaintext))
                        .setParameter("keyId", active)
                        .setParameter("now", now)
                        .setParameter("id", id)
                        .setParameter("version", row[6])
                        .executeUpdate();
                if (updated == 1) {
                    rewritten++;
                } else {
                    skipped++;
                }
            } catch (UndecryptableSecretException e) {
                // left as it is and reported: rotation must not turn a tampered row into a valid one
                LOG.warnf("Keyward vault: rotation cannot decrypt row %s (%s): %s", id, binding, e.getMessage());
                failed.add(id);
            } finally {
                if (plaintext != null) {
                    Arrays.fill(plaintext, (byte) 0);
                }
            }
        }
        return new Batch(rows.isEmpty() ? null : (String) rows.get(rows.size() - 1)[0], rewritten, skipped, failed);
    }

    void close() {
        executor.shutdownNow();
    }
}
