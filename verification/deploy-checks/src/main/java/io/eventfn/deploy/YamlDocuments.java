package io.eventfn.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads YAML files, one or more {@code ---}-separated documents each, as JSON trees (what the API server sees). */
public final class YamlDocuments {

    /** One tree per document of a stream: the next document is not a trailing token of this one. */
    private static final YAMLMapper YAML = YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private YamlDocuments() {
    }

    /** @return every non-empty document of the file, in order */
    public static List<JsonNode> readAll(Path file) {
        try {
            return parseAll(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** @return every non-empty document of {@code text}, in order; {@code source} names it in errors */
    public static List<JsonNode> parseAll(String text, String source) {
        List<JsonNode> documents = new ArrayList<>();
        // One tree per document; a MappingIterator would also split a top-level list into its items.
        try (JsonParser parser = YAML.createParser(text)) {
            while (parser.nextToken() != null) {
                JsonNode document = YAML.readTree(parser);
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not valid YAML: " + source + ": " + e.getMessage(), e);
        }
        return documents;
    }

    /** @return the file's only document */
    public static JsonNode readOne(Path file) {
        List<JsonNode> documents = readAll(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + " holds " + documents.size() + " YAML documents; expected exactly one");
        }
        return documents.getFirst();
    }
}
