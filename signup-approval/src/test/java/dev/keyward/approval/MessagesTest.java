package dev.keyward.approval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.common.MessageBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The waiting page and the mail in every language of Keycloak's login theme (same keys as English,
 * valid patterns), and every message the templates use is in the English bundle.
 */
class MessagesTest {
    private static final Path RESOURCES = Path.of("src/main/resources/theme-resources");
    private static final Pattern MSG = Pattern.compile("msg\\(\"([A-Za-z0-9_.-]+)\"");

    @Test
    void everyLocaleHasEveryKeyAndNoOther() {
        MessageBundles.in(RESOURCES.resolve("messages").toString())
                .assertComplete(MessageBundles.KEYCLOAK_LOGIN_LOCALES);
    }

    @Test
    void everyKeyTheTemplatesUseIsInTheEnglishBundle() throws IOException {
        Map<String, String> english =
                MessageBundles.in(RESOURCES.resolve("messages").toString()).texts("en");
        List<Path> templates;
        try (Stream<Path> files = Files.walk(RESOURCES.resolve("templates"))) {
            templates = files.filter(f -> f.toString().endsWith(".ftl")).toList();
        }
        assertTrue(templates.size() >= 3, templates::toString);
        for (Path template : templates) {
            Matcher m = MSG.matcher(Files.readString(template));
            while (m.find()) {
                assertTrue(english.containsKey(m.group(1)), template + " uses " + m.group(1));
            }
        }
        assertTrue(english.containsKey(ApproverNotice.SUBJECT));
    }
}
