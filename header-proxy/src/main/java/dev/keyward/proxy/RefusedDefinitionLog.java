package dev.keyward.proxy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Tells the operator, once per node, that a realm's provider definition asks for more than the
 * server allows (it came in by realm import or through the realm's attributes, past the admin API's
 * check). Every call to it is refused; one WARN line per definition and reason is enough, and a
 * caller cannot flood the log by repeating the call. Which lines a node has written is that node's
 * own business, so this is deliberately not shared across the cluster.
 */
final class RefusedDefinitionLog {
    private static final Logger LOG = Logger.getLogger(RefusedDefinitionLog.class);
    /** Bounds the memory a realm admin can make a node spend on it; past it, lines repeat. */
    private static final int MAX_REMEMBERED = 1000;

    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    /** @param reason from {@link OperatorAllowance#excess}: names a range or header, never a secret */
    void refused(String realm, String provider, String reason) {
        if (logged.size() >= MAX_REMEMBERED) {
            logged.clear();
        }
        if (logged.add(realm + '\n' + provider + '\n' + reason)) {
            LOG.warnf(
                    "header proxy: realm %s, provider %s refused: its definition asks for more than this server allows"
                            + " (%s); a realm admin must change it",
                    realm, provider, reason);
        } else {
            LOG.debugf("header proxy: realm %s, provider %s refused again", realm, provider);
        }
    }
}
