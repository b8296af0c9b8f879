package dev.keyward.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamPathTest {
    private static final URI BASE = URI.create("https://up.example/api/");
    private static final List<String> PREFIXES = List.of("/videos/", "/items");

    private static String resolve(String path, String query) throws ProxyRefusal {
        return UpstreamPath.resolve(BASE, PREFIXES, path, query);
    }

    private static ProxyRefusal refused(String path, String query) {
        return assertThrows(ProxyRefusal.class, () -> resolve(path, query), path + "?" + query);
    }

    @Test
    void allowedPathsGoBelowTheBasePathWithTheQueryAsSent() throws Exception {
        assertEquals("/api/videos/1/stream", resolve("/videos/1/stream", null));
        assertEquals("/api/items?a=1&b=%20", resolve("/items", "a=1&b=%20"));
        assertEquals("/videos/x", UpstreamPath.resolve(URI.create("https://up.example"), PREFIXES, "/videos/x", null));
        assertEquals(
                "/api/videos/x", UpstreamPath.resolve(URI.create("https://up.example/api"), PREFIXES, "/videos/x", ""));
    }

    @Test
    void anEmptyPathIsTheRootAndNeedsARootPrefix() throws Exception {
        assertEquals("/api/", UpstreamPath.resolve(BASE, List.of("/"), "", null));
        assertEquals(404, refused("", null).status());
    }

    @Test
    void prefixesMatchWholeSegments() throws Exception {
        assertEquals("/api/items", resolve("/items", null));
        assertEquals("/api/items/7", resolve("/items/7", null));
        ProxyRefusal r = refused("/itemsx", null);
        assertEquals(404, r.status());
        assertEquals("path_not_allowed", r.error());
        assertEquals(404, refused("/videos", null).status(), "prefix /videos/ asks for something below it");
        assertEquals(404, refused("/admin", null).status());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/videos/../x",
                "/videos/./x",
                "/videos/..",
                "/videos/..;/x",
                "/videos/.;x/y",
                "/videos//x",
                "/videos\\x",
                "/videos/%2e%2e/x",
                "/videos/%2E%2E/x",
                "/videos/.%2e/x",
                "/videos/a%2fb",
                "/videos/a%2Fb",
                "/videos/a%5cb",
                "/videos/%252e%252e/x",
                "/videos/a%00",
                "/videos/a%0d%0a",
                "/videos/a%3bb",
                "/videos/a%zz",
                "/videos/a%4",
                "/videos/a%",
                "/videos/a b",
                "/videos/caf\u00e9",
                "/videos/a?b",
                "/videos/a#b",
                "/videos/a\tb",
                "videos/x"
            })
    void pathsThatCouldMeanSomethingElseUpstreamAreRefused(String path) {
        ProxyRefusal r = refused(path, null);
        assertEquals(400, r.status(), path);
        assertEquals("invalid_path", r.error(), path);
    }

    @Test
    void plainEscapesPassUnchanged() throws Exception {
        assertEquals("/api/videos/caf%C3%A9", resolve("/videos/caf%C3%A9", null));
        assertEquals("/api/videos/a%20b", resolve("/videos/a%20b", null));
        assertEquals("/api/videos/a..b", resolve("/videos/a..b", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=1 2", "a=1\r\nX: y", "a=1#frag", "a=caf\u00e9", "a=%G1", "a=%4"})
    void queriesWithSpacesControlsFragmentsOrBrokenEscapesAreRefused(String query) {
        ProxyRefusal r = refused("/items", query);
        assertEquals(400, r.status());
        assertEquals("invalid_query", r.error());
    }

    @Test
    void redirectTargetsAreCheckedAsUpstreamPaths() {
        assertTrue(UpstreamPath.allowsUpstreamPath(BASE, PREFIXES, "/api/videos/2"));
        assertTrue(UpstreamPath.allowsUpstreamPath(BASE, PREFIXES, "/api/items"));
        assertFalse(UpstreamPath.allowsUpstreamPath(BASE, PREFIXES, "/videos/2"), "outside the base path");
        assertFalse(UpstreamPath.allowsUpstreamPath(BASE, PREFIXES, "/api/admin"));
        assertFalse(UpstreamPath.allowsUpstreamPath(BASE, PREFIXES, "/api/videos/../admin"));
        assertFalse(UpstreamPath.allowsUpstreamPath(BASE, PREFIXES, "/api/videos/%2e%2e/admin"));
        assertFalse(UpstreamPath.allowsUpstreamPath(BASE, PREFIXES, null));
    }

    @Test
    void withinIsSegmentWise() {
        assertTrue(UpstreamPath.within("/a/b", "/a/b"));
        assertTrue(UpstreamPath.within("/a/b/c", "/a/b"));
        assertFalse(UpstreamPath.within("/a/bc", "/a/b"));
        assertTrue(UpstreamPath.within("/a/b/", "/a/b/"));
        assertFalse(UpstreamPath.within("/a/b", "/a/b/"));
        assertTrue(UpstreamPath.within("/anything", "/"));
    }
}
