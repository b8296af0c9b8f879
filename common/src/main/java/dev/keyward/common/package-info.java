/**
 * What the pack's providers share, so each rule lives once: the cluster-wide slot counter
 * ({@link dev.keyward.common.ClusterSlots}), brute-force reporting ({@link dev.keyward.common.BruteForce}),
 * login-name lookup ({@link dev.keyward.common.LoginNames}), per-execution authentication notes
 * ({@link dev.keyward.common.ExecutionNotes}), bearer access and the one JSON error shape of the pack's
 * REST endpoints ({@link dev.keyward.common.ScopedBearer}, {@link dev.keyward.common.RestRefusal},
 * {@link dev.keyward.common.BoundedBody}), dev-mode secret files ({@link dev.keyward.common.DevSecretFile}),
 * the ids one module uses to name another's parts ({@link dev.keyward.common.KeywardIds}), mails
 * rendered on the request and sent after it ({@link dev.keyward.common.RenderedMail}), and the
 * factories' common answers ({@link dev.keyward.common.StepFactory},
 * {@link dev.keyward.common.NoLifecycleFactory}).
 *
 * <p>Shipped as its own JAR in {@code providers/}; it registers no provider.
 */
package dev.keyward.common;
