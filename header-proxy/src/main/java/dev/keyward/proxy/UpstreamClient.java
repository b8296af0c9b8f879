package dev.keyward.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.protocol.HttpProcessorBuilder;
import org.apache.http.protocol.RequestContent;
import org.apache.http.protocol.RequestTargetHost;
import org.jboss.logging.Logger;

/**
 * Sends the proxied request upstream. The host is resolved here, once; every address it resolves
 * to must pass {@link AddressGuard}, and the connection goes to the vetted address (carried in the
 * {@link HttpHost}, so the client never looks the name up again: a DNS answer that changes between
 * check and connect cannot redirect it). TLS still verifies the certificate against the host name.
 * The client adds no headers of its own beyond {@code Host} and body framing, keeps no cookies,
 * follows no redirects by itself and never retries.
 */
final class UpstreamClient implements Closeable {
    private static final Logger LOG = Logger.getLogger(UpstreamClient.class);
    private static final int MAX_REDIRECTS = 5;

    private final CloseableHttpClient http;
    private final ScheduledExecutorService timer;
    private final ProxySettings settings;

    UpstreamClient(ProxySettings settings) {
        this.settings = settings;
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(
                RegistryBuilder.<ConnectionSocketFactory>create()
                        .register("http", PlainConnectionSocketFactory.getSocketFactory())
                        .register("https", SSLConnectionSocketFactory.getSocketFactory())
                        .build(),
                null,
                null,
                host -> {
                    throw new UnknownHostException("the header proxy resolves upstream hosts before it connects");
                },
                60,
                TimeUnit.SECONDS);
        pool.setMaxTotal(settings.maxConnections());
        pool.setDefaultMaxPerRoute(settings.maxConnections());
        pool.setValidateAfterInactivity(2_000);
        this.http = HttpClients.custom()
                .setConnectionManager(pool)
                .setHttpProcessor(HttpProcessorBuilder.create()
                        .add(new RequestContent())
                        .add(new RequestTargetHost())
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout((int) settings.connectTimeout().toMillis())
                        .setConnectionRequestTimeout(
                                (int) settings.connectTimeout().toMillis())
                        .setSocketTimeout((int) settings.idleTimeout().toMillis())
                        .setRedirectsEnabled(false)
                        .setContentCompressionEnabled(false)
                        .build())
                .evictExpiredConnections()
                .evictIdleConnections(30, TimeUnit.SECONDS)
                .build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "keyward-header-proxy-timer"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * @param pathAndQuery from {@link UpstreamPath#resolve}
     * @param body null for none
     * @return the upstream's answer, which the caller must close
     * @throws ProxyRefusal 502 when the address is refused, the upstream is unreachable or redirects
     *         outside the provider's rules; 504 on a timeout
     */
    CloseableHttpResponse send(
            ProxiedProvider provider, String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws ProxyRefusal {
        URI base = URI.create(provider.rules().baseUrl());
        HttpHost target = new HttpHost(
                vet(provider, base.getHost()),
                base.getHost(),
                base.getPort(),
                base.getScheme().toLowerCase(Locale.ROOT));
        String current = pathAndQuery;
        for (int hop = 0; ; hop++) {
            CloseableHttpResponse response = execute(target, request(method, current, headers, body));
            int status = response.getStatusLine().getStatusCode();
            if (!isRedirect(status)) {
                return response;
            }
            Optional<String> next = followable(provider, base, method, current, response.getFirstHeader("Location"));
            closeQuietly(response);
            if (next.isEmpty() || hop == MAX_REDIRECTS) {
                LOG.debugf("header proxy: provider %s redirected outside its rules (or too often)", provider.id());
                throw new ProxyRefusal(
                        502,
                        "upstream_redirect_refused",
                        "the upstream redirected to a place this provider does not allow");
            }
            current = next.get();
        }
    }

    /**
     * Resolves once and refuses the host unless every address it has passes the guard, with the
     * exemptions the provider asks for inside what the operator allows.
     */
    private InetAddress vet(ProxiedProvider provider, String host) throws ProxyRefusal {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ProxyRefusal(502, "upstream_unreachable", "the upstream could not be reached");
        }
        for (InetAddress address : addresses) {
            Optional<AddressGuard.Category> refused =
                    AddressGuard.refusal(address, a -> settings.allowance().lifts(a, provider.rules()));
            if (refused.isPresent()) {
                // The operator's log may name the address; the caller's answer never does.
                LOG.warnf(
                        "header proxy: provider %s refused, %s resolves to %s (%s)",
                        provider.id(), host, address.getHostAddress(), refused.get());
                throw new ProxyRefusal(
                        502,
                        "upstream_address_refused",
                        "the provider's upstream is not on an address this server may call");
            }
        }
        return addresses[0];
    }

    private HttpRequestBase request(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws ProxyRefusal {
        HttpRequestBase request;
        if (body != null) {
            HttpEntityEnclosingRequestBase withBody = new HttpEntityEnclosingRequestBase() {
                @Override
                public String getMethod() {
                    return method;
                }
            };
            withBody.setEntity(new ByteArrayEntity(body));
            request = withBody;
        } else {
            request = new HttpRequestBase() {
                @Override
                public String getMethod() {
                    return method;
                }
            };
        }
        try {
            request.setURI(URI.create(pathAndQuery));
        } catch (IllegalArgumentException e) {
            throw new ProxyRefusal(400, "invalid_path", "the path or query is not a valid URI");
        }
        headers.forEach(request::addHeader);
        return request;
    }

    private CloseableHttpResponse execute(HttpHost target, HttpRequestBase request) throws ProxyRefusal {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> deadline = timer.schedule(
                () -> {
                    timedOut.set(true);
                    request.abort();
                },
                settings.responseTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        CloseableHttpResponse response;
        try {
            response = http.execute(target, request);
        } catch (ConnectTimeoutException | SocketTimeoutException e) {
            throw timeout();
        } catch (InterruptedIOException e) {
            throw timedOut.get() ? timeout() : unreachable();
        } catch (IOException e) {
            if (timedOut.get()) {
                throw timeout();
            }
            LOG.debugf(
                    "header proxy: upstream %s failed: %s",
                    target.getHostName(), e.getClass().getSimpleName());
            throw unreachable();
        } finally {
            deadline.cancel(false);
        }
        if (timedOut.get()) {
            closeQuietly(response);
            throw timeout();
        }
        return response;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * A redirect is followed only for GET and HEAD, only to the base URL's own origin (so the
     * credential stays with the host it was made for, and the vetted address still applies) and
     * only into the provider's path prefixes.
     */
    private static Optional<String> followable(
            ProxiedProvider provider, URI base, String method, String current, Header location) {
        if (location == null || !(method.equals("GET") || method.equals("HEAD"))) {
            return Optional.empty();
        }
        URI next;
        try {
            next = base.resolve(URI.create(current)).resolve(location.getValue().trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean sameOrigin = base.getScheme().equalsIgnoreCase(next.getScheme())
                && base.getHost().equalsIgnoreCase(next.getHost())
                && port(base) == port(next)
                && next.getRawUserInfo() == null;
        if (!sameOrigin
                || !UpstreamPath.allowsUpstreamPath(base, provider.rules().pathPrefixes(), next.getRawPath())) {
            return Optional.empty();
        }
        return Optional.of(next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery()));
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static ProxyRefusal timeout() {
        return new ProxyRefusal(504, "upstream_timeout", "the upstream did not answer in time");
    }

    private static ProxyRefusal unreachable() {
        return new ProxyRefusal(502, "upstream_unreachable", "the upstream could not be reached");
    }

    static void closeQuietly(CloseableHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            LOG.tracef(
                    "header proxy: closing an upstream response failed: %s",
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        http.close();
    }
}
