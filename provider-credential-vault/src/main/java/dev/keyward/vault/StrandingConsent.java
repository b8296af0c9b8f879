package dev.keyward.vault;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keyward.common.RestRefusal;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an admin said, in the query of a definition change, about stranding users' stored
 * credentials: {@code dryRun=true} to only count them, {@code confirmStranded=m} to accept stranding
 * up to m. A change that strands none goes through as before. One that strands some needs the
 * confirmation: a typo in a base URL would otherwise lock every user of the provider out at once,
 * and the admin would learn it from the users. The admin states an upper bound rather than the
 * exact count because users may store credentials between a dry run and the change; if more would
 * be stranded than confirmed, the answer is a 409 with the new count, and nothing changed.
 *
 * @param dryRun count only, change nothing
 * @param confirmed the most credentials the admin accepts to strand (0 when not given)
 */
record StrandingConsent(boolean dryRun, long confirmed) {
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};

    /**
     * @param dryRun the {@code dryRun} query parameter
     * @param confirmStranded the {@code confirmStranded} query parameter
     * @throws InvalidInputException for a {@code dryRun} other than absent, {@code true} or
     *     {@code false} (a mistyped dry run must not change the definition), or a
     *     {@code confirmStranded} that is not a count
     */
    static StrandingConsent parse(String dryRun, String confirmStranded) throws InvalidInputException {
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            throw new InvalidInputException("dryRun is true or false");
        }
        long confirmed = 0;
        if (confirmStranded != null) {
            try {
                confirmed = Long.parseLong(confirmStranded);
            } catch (NumberFormatException e) {
                confirmed = -1;
            }
            if (confirmed < 0) {
                throw new InvalidInputException(
                        "confirmStranded is the number of stored credentials you accept to strand (0 or more)");
            }
        }
        return new StrandingConsent("true".equals(dryRun), confirmed);
    }

    /** @return whether the change may strand this many */
    boolean allows(long stranded) {
        return stranded <= confirmed;
    }

    /** @return the 409 for a change that strands more than was confirmed, with the count */
    static RestRefusal refusal(long stranded) {
        return new RestRefusal(
                        Response.Status.CONFLICT,
                        "credentials_would_be_stranded",
                        "this change of upstream origin or credential kind/name leaves " + stranded
                                + " stored credential(s)"
                                + " unusable until their owners store them again; send it with ?confirmStranded="
                                + stranded
                                + " to go ahead")
                .details(Map.of("strandedCredentials", stranded));
    }

    /** @return the saved definition with the count of credentials the change stranded */
    static Map<String, Object> answer(ProviderDefinition saved, long stranded) {
        Map<String, Object> out = ProviderDefinitions.JSON.convertValue(saved, OBJECT);
        out.put("strandedCredentials", stranded);
        return out;
    }
}
