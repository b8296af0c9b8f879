package dev.keyward.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

/**
 * The body written straight to the Vert.x response Keycloak serves the request on, in the pieces
 * the upstream delivered them (up to the relay's buffer), copied into Netty's pooled off-heap
 * buffers: no heap garbage per byte, and one hand-off to the event loop per piece instead of one
 * per 8 KiB. At most {@link #IN_FLIGHT} pieces wait for the socket; the next write waits for one
 * of them, so the client's pace still sets the upstream's.
 *
 * <p>A piece is never larger than the allocator's chunk ({@link #PIECE}): a larger buffer is not
 * pooled but allocated, zeroed and freed each time. Quarkus runs Netty with 64 KiB chunks
 * ({@code io.netty.allocator.maxOrder=3}), so the relay's 128 KiB reads took that path, and it was
 * the largest part of the relay's CPU (docs/performance.md, "Header proxy").
 *
 * <p>Only the body goes this way: status and headers are the JAX-RS response's, set by Keycloak's
 * REST layer before the relay runs (with its filters: CORS, security headers), and that layer ends
 * the response (or cuts the connection if the relay fails) after the relay returns.
 */
final class VertxBodySink implements StreamSlot.BodySink {
    /** Pieces waiting for the socket: 4 of the relay's reads, whatever size the pieces are. */
    static final int IN_FLIGHT = 4 * Math.max(1, StreamSlot.BUFFER / piece());

    static final int PIECE = piece();

    private final HttpServerResponse response;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final AtomicBoolean failed = new AtomicBoolean();

    private VertxBodySink(HttpServerResponse response) {
        this.response = response;
    }

    /** @return the sink for the current request, empty outside a Vert.x server */
    static Optional<StreamSlot.BodySink> current() {
        ResteasyReactiveRequestContext context = CurrentRequestManager.get();
        if (context == null) {
            return Optional.empty();
        }
        HttpServerResponse response = context.serverRequest().unwrap(HttpServerResponse.class);
        return Optional.ofNullable(response).map(VertxBodySink::new);
    }

    @Override
    public boolean write(byte[] chunk, int n, boolean idle) {
        for (int offset = 0; offset < n; offset += PIECE) {
            if (!writePiece(chunk, offset, Math.min(PIECE, n - offset))) {
                return false;
            }
        }
        return true;
    }

    private boolean writePiece(byte[] chunk, int offset, int length) {
        if (!awaitSlot()) {
            return false;
        }
        ByteBuf piece =
                PooledByteBufAllocator.DEFAULT.directBuffer(length, length).writeBytes(chunk, offset, length);
        try {
            if (!response.headWritten() && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                response.setChunked(true); // the upstream gave no length (HTTP/1.1; ignored on HTTP/2)
            }
            // Vert.x hands Netty an unreleasable view of a buffer it did not allocate, so the piece
            // goes back to the pool here, once it is on the wire or has failed (before, it was left
            // to the garbage collector, which only works for unpooled buffers, and slowly)
            response.write(Buffer.buffer(piece)).onComplete(done -> {
                piece.release();
                if (done.failed()) {
                    failed.set(true);
                }
                slots.release();
            });
            return !failed.get();
        } catch (RuntimeException e) {
            // the response was closed or ended under us: the client is gone
            if (piece.refCnt() > 0) {
                piece.release();
            }
            slots.release();
            return false;
        }
    }

    /** The largest buffer the allocator pools, and never more than the relay reads at once. */
    private static int piece() {
        return Math.min(
                StreamSlot.BUFFER, PooledByteBufAllocator.DEFAULT.metric().chunkSize());
    }

    /** Waits until fewer than {@link #IN_FLIGHT} pieces are queued; false once the client is gone. */
    private boolean awaitSlot() {
        try {
            while (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
                if (response.closed()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (failed.get() || response.closed()) {
            slots.release();
            return false;
        }
        return true;
    }
}
