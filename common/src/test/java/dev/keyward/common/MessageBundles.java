package dev.keyward.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One message set of the pack (a directory of {@code messages_xx.properties}) checked against its
 * English file: every locale Keycloak's login theme ships has a file, each file has exactly the
 * English keys, and each message is a {@link MessageFormat} pattern (as Keycloak's {@code msg()}
 * formats every message) with the English message's placeholders.
 */
public final class MessageBundles {

    /**
     * The locales of Keycloak 26.7's login theme, in the order and spelling of {@code locales=} in
     * its {@code theme/base/login/theme.properties}. That list has 40; {@code ka} ships messages
     * there too and is added in alphabetical place, so the pack covers every language Keycloak has
     * login messages for.
     */
    public static final List<String> KEYCLOAK_LOGIN_LOCALES = List.of(
            "ar", "az", "ca", "cs", "da", "de", "el", "en", "es", "eu", "fa", "fr", "fi", "hr", "hu", "hy", "id", "it",
            "ja", "ka", "kk", "ko", "ky", "lt", "lv", "nl", "no", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl", "sv",
            "th", "tr", "uk", "vi", "zh-CN", "zh-TW");

    private static final int MAX_ARGUMENTS = 10;

    private final Path directory;

    private MessageBundles(Path directory) {
        this.directory = directory;
    }

    /** The message set in {@code directory} (relative paths resolve against the module's basedir). */
    public static MessageBundles in(String directory) {
        return new MessageBundles(Path.of(directory));
    }

    /** {@code messages_pt_BR.properties} for {@code pt-BR}: the file name Keycloak loads. */
    public static String fileName(String locale) {
        return "messages_" + locale.replace('-', '_') + ".properties";
    }

    /** The {@code locales=} list of a theme's {@code theme.properties}, in its order. */
    public static List<String> themeLocales(String themeProperties) {
        Properties theme = load(Path.of(themeProperties), new ArrayList<>());
        String locales = theme.getProperty("locales", "");
        return Arrays.stream(locales.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** The messages of {@code locale} ({@code en}, {@code pt-BR}, ...), key to text, in key order. */
    public Map<String, String> texts(String locale) {
        Properties messages = load(directory.resolve(fileName(locale)), new ArrayList<>());
        Map<String, String> texts = new LinkedHashMap<>();
        messages.stringPropertyNames().stream().sorted().forEach(key -> texts.put(key, messages.getProperty(key)));
        return texts;
    }

    /** Everything wrong with the set, one line each; empty when every locale is complete. */
    public List<String> problems(List<String> locales) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return List.of(directory + ": no such directory");
        }
        Properties english = load(directory.resolve(fileName("en")), problems);
        Set<String> files = fileNames();
        for (String locale : locales) {
            if (!files.remove(fileName(locale))) {
                problems.add(fileName(locale) + ": missing (locale " + locale + ")");
                continue;
            }
            checkLocale(locale, english, problems);
        }
        files.forEach(extra -> problems.add(extra + ": not a locale of the list"));
        return problems;
    }

    /** Fails with every problem of the set, listed, when there is any. */
    public void assertComplete(List<String> locales) {
        List<String> problems = problems(locales);
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    directory + ": " + problems.size() + " problem(s)\n  " + String.join("\n  ", problems));
        }
    }

    private void checkLocale(String locale, Properties english, List<String> problems) {
        String file = fileName(locale);
        List<String> found = new ArrayList<>();
        Properties messages = load(directory.resolve(file), found);
        found.forEach(p -> problems.add(file + ": " + p));
        Set<String> missing = new TreeSet<>(english.stringPropertyNames());
        missing.removeAll(messages.stringPropertyNames());
        Set<String> extra = new TreeSet<>(messages.stringPropertyNames());
        extra.removeAll(english.stringPropertyNames());
        missing.forEach(key -> problems.add(file + ": lacks " + key));
        extra.forEach(key -> problems.add(file + ": has " + key + ", which the English file does not"));
        Locale javaLocale = Locale.forLanguageTag(locale);
        for (String key : new TreeSet<>(messages.stringPropertyNames())) {
            String text = messages.getProperty(key);
            String problem = patternProblem(text, javaLocale);
            if (problem != null) {
                problems.add(file + ": " + key + ": " + problem);
                continue;
            }
            String englishText = english.getProperty(key);
            if (englishText != null && patternProblem(englishText, Locale.ENGLISH) == null) {
                Set<Integer> expected = placeholders(englishText);
                Set<Integer> actual = placeholders(text);
                if (!expected.equals(actual)) {
                    problems.add(file + ": " + key + ": placeholders " + actual + ", the English has " + expected);
                }
            }
            if (text.isBlank()) {
                problems.add(file + ": " + key + ": empty");
            }
        }
    }

    /**
     * Why {@code text} is not a message as the pack writes them, or null. MessageFormat accepts an
     * unpaired quote (it quotes to the end and drops it), so a lone {@code '} is caught here: the
     * pack writes a literal quote as {@code ''} and quotes nothing else.
     */
    static String patternProblem(String text, Locale locale) {
        try {
            new MessageFormat(text, locale);
        } catch (IllegalArgumentException e) {
            return "not a MessageFormat pattern (" + e.getMessage() + ")";
        }
        if (text.replace("''", "").indexOf('\'') >= 0) {
            return "single quote not doubled (write '' for an apostrophe)";
        }
        return null;
    }

    /** The argument indexes {@code text} uses, found by formatting it with marked arguments. */
    static Set<Integer> placeholders(String text) {
        Object[] marks = marks();
        String formatted = new MessageFormat(text, Locale.ENGLISH).format(marks);
        Set<Integer> used = new TreeSet<>();
        for (int i = 0; i < marks.length; i++) {
            if (formatted.contains((String) marks[i])) {
                used.add(i);
            }
        }
        return used;
    }

    /**
     * The literal text a message shows around its placeholders, quoting undone: {@code "Don''t
     * wait {0} s"} gives {@code ["Don't wait ", " s"]}. What a page shows of the message, whatever
     * the arguments.
     */
    public static List<String> literalParts(String text) {
        String formatted = new MessageFormat(text, Locale.ENGLISH).format(marks());
        return Arrays.stream(formatted.split("\u0000[0-9]+\u0000"))
                .filter(part -> !part.isEmpty())
                .toList();
    }

    private static Object[] marks() {
        Object[] marks = new Object[MAX_ARGUMENTS];
        for (int i = 0; i < marks.length; i++) {
            marks[i] = "\u0000" + i + "\u0000";
        }
        return marks;
    }

    private Set<String> fileNames() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("messages_") && name.endsWith(".properties"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + directory, e);
        }
    }

    /** Loads strictly as UTF-8 (as Keycloak reads theme messages); duplicate keys are problems. */
    private static Properties load(Path file, List<String> problems) {
        Properties properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                Object before = super.put(key, value);
                if (before != null) {
                    problems.add("duplicate key " + key);
                }
                return before;
            }
        };
        try (InputStream in = Files.newInputStream(file);
                Reader reader = new InputStreamReader(
                        in,
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " as UTF-8: " + e, e);
        }
        return properties;
    }
}
