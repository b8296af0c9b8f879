package dev.keyward.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageBundlesTest {
    private static final List<String> LOCALES = List.of("en", "de", "pt-BR");

    @TempDir
    Path dir;

    private void write(String locale, String text) throws IOException {
        Files.writeString(dir.resolve(MessageBundles.fileName(locale)), text, StandardCharsets.UTF_8);
    }

    private List<String> problems() {
        return MessageBundles.in(dir.toString()).problems(LOCALES);
    }

    @Test
    void completeSetHasNoProblems() throws IOException {
        write("en", "# comment\ngreeting=Hello {0}\nquote=Don''t\n");
        write("de", "greeting=Hallo {0}\nquote=Nicht\n");
        write("pt-BR", "greeting=Olá {0}\nquote=Não\n");
        assertEquals(List.of(), problems());
        MessageBundles.in(dir.toString()).assertComplete(LOCALES);
    }

    @Test
    void missingAndExtraKeysAndFiles() throws IOException {
        write("en", "a=A\nb=B\n");
        write("de", "a=A\nc=C\n");
        write("xx", "a=A\nb=B\n");
        assertEquals(
                List.of(
                        "messages_de.properties: lacks b",
                        "messages_de.properties: has c, which the English file does not",
                        "messages_pt_BR.properties: missing (locale pt-BR)",
                        "messages_xx.properties: not a locale of the list"),
                problems());
        AssertionError failed = assertThrows(
                AssertionError.class, () -> MessageBundles.in(dir.toString()).assertComplete(LOCALES));
        assertTrue(failed.getMessage().contains("4 problem(s)"), failed.getMessage());
    }

    @Test
    void quotesBracesPlaceholdersDuplicates() throws IOException {
        write("en", "lone=It''s {0}\nbrace=Count {0}\ncount=Has {1}\nplain=Plain\n");
        write("de", "lone=It's {0}\nbrace=Count {0\ncount=Hat {0}\nplain=Erst\nplain=Zweit\n");
        write("pt-BR", "lone=É {0}\nbrace=Conta {0}\ncount=Tem {1} de {2}\nplain=  \n");
        List<String> problems = problems();
        assertEquals(
                List.of(
                        "messages_de.properties: duplicate key plain",
                        "messages_de.properties: brace: not a MessageFormat pattern (Unmatched braces in the pattern.)",
                        "messages_de.properties: count: placeholders [0], the English has [1]",
                        "messages_de.properties: lone: single quote not doubled (write '' for an apostrophe)",
                        "messages_pt_BR.properties: count: placeholders [1, 2], the English has [1]",
                        "messages_pt_BR.properties: plain: empty"),
                problems);
    }

    @Test
    void placeholdersAreTheArgumentsUsed() {
        assertEquals(Set.of(1), MessageBundles.placeholders("this account has {1}."));
        assertEquals(Set.of(0, 1), MessageBundles.placeholders("at {0} from {1}, {0}"));
        assertEquals(Set.of(), MessageBundles.placeholders("a literal '{0}' brace"));
    }

    @Test
    void literalPartsAreWhatAPageShows() {
        assertEquals(List.of("Don't wait ", " s"), MessageBundles.literalParts("Don''t wait {0} s"));
        assertEquals(List.of("has "), MessageBundles.literalParts("has {1}"));
    }

    @Test
    void textsOfALocale() throws IOException {
        write("pt-BR", "b=B\na=A\n");
        assertEquals(
                List.of("a", "b"),
                List.copyOf(MessageBundles.in(dir.toString()).texts("pt-BR").keySet()));
    }

    @Test
    void fileNamesAndThemeLocales() throws IOException {
        assertEquals("messages_zh_CN.properties", MessageBundles.fileName("zh-CN"));
        Path theme = dir.resolve("theme.properties");
        Files.writeString(theme, "parent=base\nlocales=en, de,pt-BR\n");
        assertEquals(LOCALES, MessageBundles.themeLocales(theme.toString()));
        assertEquals(41, MessageBundles.KEYCLOAK_LOGIN_LOCALES.size());
        assertEquals(41, Set.copyOf(MessageBundles.KEYCLOAK_LOGIN_LOCALES).size());
    }
}
