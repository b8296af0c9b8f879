package dev.keyward.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    @Test
    void aBodyUpToTheLimitIsReadWhole() throws RestRefusal {
        assertArrayEquals(new byte[4], BoundedBody.read(new ByteArrayInputStream(new byte[4]), 4, "4"));
        assertArrayEquals(new byte[0], BoundedBody.read(null, 4, null));
    }

    @Test
    void aBiggerBodyIsRefusedNotTruncated() {
        RestRefusal read =
                assertThrows(RestRefusal.class, () -> BoundedBody.read(new ByteArrayInputStream(new byte[5]), 4, null));
        assertEquals(413, read.status());
        assertEquals("body_too_large", read.error());
        // refused on the declared length, before anything is read
        InputStream never = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read");
            }
        };
        assertEquals(
                413,
                assertThrows(RestRefusal.class, () -> BoundedBody.read(never, 4, "5"))
                        .status());
        assertEquals(
                413,
                assertThrows(RestRefusal.class, () -> BoundedBody.read(never, 4, "lots"))
                        .status());
    }

    @Test
    void anUnreadableBodyIsABadRequest() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("reset");
            }
        };
        RestRefusal r = assertThrows(RestRefusal.class, () -> BoundedBody.read(broken, 4, null));
        assertEquals(400, r.status());
        assertEquals("invalid_body", r.error());
    }
}
