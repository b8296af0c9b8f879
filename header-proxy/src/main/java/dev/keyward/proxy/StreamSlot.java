package dev.keyward.proxy;

import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * A user's claim on one of their concurrent streams, held while the upstream's body is relayed.
 * The request's own session has ended by then, so the slot is renewed and released in short
 * sessions of their own.
 */
final class StreamSlot {
    private static final Logger LOG = Logger.getLogger(StreamSlot.class);
    static final int BUFFER = 128 * 1024;
    private static final long RENEW_MILLIS = ProxyLimits.STREAM_SLOT_SECONDS * 1000 / 3;

    private StreamSlot() {}

    /**
     * Frees the slot before the client can see its answer end, so a client that sends its next
     * request the moment one ends never finds its own finished stream still counted.
     */
    static void release(KeycloakSessionFactory factory, String key) {
        try {
            KeycloakModelUtils.runJobInTransaction(
                    factory, s -> new ProxyLimits(s.singleUseObjects()).releaseStream(key));
        } catch (RuntimeException e) {
            // it expires by itself within a minute
            LOG.debugf(
                    "header proxy: releasing a stream slot failed: %s",
                    e.getClass().getSimpleName());
        }
    }

    private static void renew(KeycloakSessionFactory factory, String key) {
        try {
            KeycloakModelUtils.runJobInTransaction(
                    factory, s -> new ProxyLimits(s.singleUseObjects()).renewStream(key));
        } catch (RuntimeException e) {
            LOG.debugf(
                    "header proxy: renewing a stream slot failed: %s",
                    e.getClass().getSimpleName());
        }
    }

    /**
     * Copies the upstream body to the client one buffer at a time: the client's pace sets the
     * upstream's, and memory stays at a few buffers whatever the size. Whatever has arrived is
     * sent before the next read waits, so a slow or live upstream reaches the client as it comes.
     * A client that goes away ends the copy quietly; an upstream that breaks off makes the copy
     * fail, so the client's connection is cut too and a short body is never passed off as a whole
     * one.
     */
    static final class Relay implements StreamingOutput {
        private final KeycloakSessionFactory factory;
        private final CloseableHttpResponse answer;
        private final InputStream in;
        private final byte[] first;
        private final String slot;
        private final LongConsumer bytesSent;

        /**
         * @param first the body's first bytes, read before the response was committed (so a
         *        silent upstream still gets a clean 504); empty if the body is empty
         */
        Relay(
                KeycloakSessionFactory factory,
                CloseableHttpResponse answer,
                InputStream in,
                byte[] first,
                String slot,
                LongConsumer bytesSent) {
            this.factory = factory;
            this.answer = answer;
            this.in = in;
            this.first = first;
            this.slot = slot;
            this.bytesSent = bytesSent;
        }

        @Override
        public void write(OutputStream output) throws IOException {
            // Inside Keycloak the body goes straight to the Vert.x response the request runs on;
            // the JAX-RS output stream would cut it into pieces of its 8 KiB buffer, each a
            // separate hand-off to the event loop (docs/performance.md, "Header proxy").
            BodySink sink = VertxBodySink.current().orElseGet(() -> new StreamBodySink(output));
            // With a known length the last bytes are known before they are written: the slot is
            // freed first. Without one the answer is chunked, and its end only goes out after
            // this method returns.
            long length = answer.getEntity().getContentLength();
            long read = first.length;
            long sent = 0;
            long renewAt = System.currentTimeMillis() + RENEW_MILLIS;
            boolean released = false;
            byte[] buffer = new byte[BUFFER];
            try {
                byte[] chunk = first;
                int n = first.length;
                while (n >= 0) {
                    if (!released && length >= 0 && read >= length) {
                        release(factory, slot);
                        released = true;
                    }
                    if (n > 0 && !sink.write(chunk, n, in.available() <= 0)) {
                        LOG.debugf("header proxy: the client went away after %d bytes", sent);
                        return;
                    }
                    sent += n;
                    if (System.currentTimeMillis() >= renewAt) {
                        renew(factory, slot);
                        renewAt = System.currentTimeMillis() + RENEW_MILLIS;
                    }
                    chunk = buffer;
                    try {
                        n = in.read(buffer);
                    } catch (IOException e) {
                        throw new IOException(
                                "header proxy: the upstream broke off its response after " + sent + " bytes");
                    }
                    read += Math.max(n, 0);
                }
            } finally {
                UpstreamClient.closeQuietly(answer);
                if (!released) {
                    release(factory, slot);
                }
                bytesSent.accept(sent);
            }
        }
    }

    /** Where the relay puts the body. */
    interface BodySink {
        /**
         * Sends {@code chunk[0..n)}; the array may be reused as soon as this returns.
         *
         * @param idle whether the upstream has nothing more at hand, so what is held goes out now
         * @return false if the client has gone away
         */
        boolean write(byte[] chunk, int n, boolean idle);
    }

    /** The JAX-RS output stream: what a runtime without Vert.x underneath gets. */
    static final class StreamBodySink implements BodySink {
        private final OutputStream output;

        StreamBodySink(OutputStream output) {
            this.output = output;
        }

        @Override
        public boolean write(byte[] chunk, int n, boolean idle) {
            try {
                output.write(chunk, 0, n);
                if (idle) {
                    output.flush();
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
