package org.onnx2trt.dsl.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.onnx2trt.dsl.diag.Suggestions;

/**
 * A table of operator schemas, keyed by domain, op type and since-version.
 *
 * <p>{@link #builtin()} is the ONNX default domain as the resource {@code onnx-ops.schema}
 * describes it. Users add their own domains with {@link #load(Reader, String)} and
 * {@link #merge(OpSchemas)}. Instances are immutable and safe to share between threads.
 *
 * <p>Domains: {@code ""} and {@code "ai.onnx"} both name the default domain; lookups accept
 * either, and schemas report {@code ""}.
 */
public final class OpSchemas {

    /** The name the built-in table is loaded under; parse errors in it start with this. */
    public static final String BUILTIN_SOURCE = "onnx-ops.schema";

    private static final String BUILTIN_RESOURCE = "/org/onnx2trt/dsl/schema/" + BUILTIN_SOURCE;

    // domain -> op type -> revisions sorted by since-version
    private final Map<String, Map<String, List<OpSchema>>> table;
    // "domain|name|since" -> "source:line", for messages about duplicates
    private final Map<String, String> origins;

    private OpSchemas(Map<String, Map<String, List<OpSchema>>> table, Map<String, String> origins) {
        this.table = table;
        this.origins = origins;
    }

    /**
     * The built-in ONNX table, parsed once on first use.
     *
     * @throws OpSchemaParseException if the bundled resource is malformed (a build error)
     * @throws IllegalStateException  if the resource is missing from the class path
     */
    public static OpSchemas builtin() {
        return Builtin.INSTANCE;
    }

    private static final class Builtin {
        static final OpSchemas INSTANCE = loadBuiltin();

        private static OpSchemas loadBuiltin() {
            InputStream in = OpSchemas.class.getResourceAsStream(BUILTIN_RESOURCE);
            if (in == null) {
                throw new IllegalStateException("resource " + BUILTIN_RESOURCE + " is missing from the class path");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return load(reader, BUILTIN_SOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + BUILTIN_RESOURCE, e);
            }
        }
    }

    /**
     * Parses a schema file in the format documented at the top of {@code onnx-ops.schema}.
     *
     * @param reader     the text; read to the end and closed
     * @param sourceName the name errors are reported under, e.g. the file name
     * @throws OpSchemaParseException with {@code sourceName:LINE: message} if the text is
     *                                malformed or defines a revision twice
     * @throws UncheckedIOException   if the reader fails
     */
    public static OpSchemas load(Reader reader, String sourceName) {
        Builder builder = new Builder();
        for (SchemaParser.Located located : SchemaParser.parse(reader, sourceName)) {
            String origin = sourceName + ":" + located.line();
            String previous = builder.add(located.schema(), origin);
            if (previous != null) {
                throw new OpSchemaParseException(sourceName, located.line(),
                        "`" + located.schema().name() + "` since " + located.schema().sinceVersion()
                                + " is already defined at " + previous);
            }
        }
        return builder.build();
    }

    /** {@link #load(Reader, String)} for text already in memory. */
    public static OpSchemas parse(String text, String sourceName) {
        return load(new StringReader(text), sourceName);
    }

    /**
     * A table holding the revisions of both this one and {@code other}.
     *
     * @throws IllegalArgumentException if both define the same revision (same domain, op type
     *                                  and since-version); the message names both places
     */
    public OpSchemas merge(OpSchemas other) {
        Builder builder = new Builder();
        for (OpSchemas source : List.of(this, other)) {
            for (Map<String, List<OpSchema>> ops : source.table.values()) {
                for (List<OpSchema> revisions : ops.values()) {
                    for (OpSchema schema : revisions) {
                        String origin = source.origins.get(key(schema));
                        String previous = builder.add(schema, origin);
                        if (previous != null) {
                            throw new IllegalArgumentException("`" + schema.name() + "` since "
                                    + schema.sinceVersion() + describeDomain(schema.domain())
                                    + " is defined twice: at " + previous + " and at " + origin);
                        }
                    }
                }
            }
        }
        return builder.build();
    }

    /**
     * The revision of {@code opType} in force at {@code opsetVersion} of {@code domain}: the
     * one with the greatest since-version not above it. Empty if the operator is unknown or
     * did not exist yet at that opset.
     */
    public Optional<OpSchema> find(String domain, String opType, int opsetVersion) {
        OpSchema best = null;
        for (OpSchema schema : all(domain, opType)) {
            if (schema.sinceVersion() <= opsetVersion) {
                best = schema;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@link #find(String, String, int)} in the default ONNX domain. */
    public Optional<OpSchema> find(String opType, int opsetVersion) {
        return find("", opType, opsetVersion);
    }

    /** Every revision of {@code opType} in the default domain, oldest first; empty if unknown. */
    public List<OpSchema> all(String opType) {
        return all("", opType);
    }

    /** Every revision of {@code opType} in {@code domain}, oldest first; empty if unknown. */
    public List<OpSchema> all(String domain, String opType) {
        return table.getOrDefault(normalizeDomain(domain), Map.of()).getOrDefault(opType, List.of());
    }

    /** The op types of the default domain, sorted. */
    public SortedSet<String> names() {
        return names("");
    }

    /** The op types of {@code domain}, sorted; empty if the domain is unknown. */
    public SortedSet<String> names(String domain) {
        return Collections.unmodifiableSortedSet(
                new TreeSet<>(table.getOrDefault(normalizeDomain(domain), Map.of()).keySet()));
    }

    /** The domains this table knows, sorted; the default domain is {@code ""}. */
    public SortedSet<String> domains() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(table.keySet()));
    }

    /** How many revisions the table holds, all domains together. */
    public int size() {
        return table.values().stream().flatMap(ops -> ops.values().stream()).mapToInt(List::size).sum();
    }

    /**
     * Op types of the default domain close to {@code misspelled}, best first, for "did you
     * mean" messages ({@code Covn} → {@code Conv}). Empty when nothing is close.
     */
    public List<String> suggest(String misspelled) {
        return suggest("", misspelled);
    }

    /** Op types of {@code domain} close to {@code misspelled}, best first. */
    public List<String> suggest(String domain, String misspelled) {
        return Suggestions.ranked(misspelled, names(domain));
    }

    /**
     * The canonical spelling of a domain: {@code ""} for the default ONNX domain (also written
     * {@code "ai.onnx"}, or null), the name itself otherwise.
     */
    public static String normalizeDomain(String domain) {
        return domain == null || domain.equals("ai.onnx") ? "" : domain;
    }

    private static String key(OpSchema schema) {
        return schema.domain() + "|" + schema.name() + "|" + schema.sinceVersion();
    }

    private static String describeDomain(String domain) {
        return domain.isEmpty() ? "" : " in domain `" + domain + "`";
    }

    @Override
    public String toString() {
        return "OpSchemas[" + domains().size() + " domains, " + size() + " revisions]";
    }

    /** Collects revisions, refusing duplicates, then freezes them into sorted, immutable maps. */
    private static final class Builder {
        private final Map<String, Map<String, List<OpSchema>>> table = new TreeMap<>();
        private final Map<String, String> origins = new LinkedHashMap<>();

        /** Adds {@code schema}; returns where it was defined before, or null if it is new. */
        String add(OpSchema schema, String origin) {
            String key = key(schema);
            if (origins.containsKey(key)) {
                return origins.get(key);
            }
            origins.put(key, origin);
            table.computeIfAbsent(schema.domain(), d -> new TreeMap<>())
                    .computeIfAbsent(schema.name(), n -> new ArrayList<>())
                    .add(schema);
            return null;
        }

        OpSchemas build() {
            Map<String, Map<String, List<OpSchema>>> frozen = new TreeMap<>();
            table.forEach((domain, ops) -> {
                Map<String, List<OpSchema>> frozenOps = new TreeMap<>();
                ops.forEach((name, revisions) -> {
                    List<OpSchema> sorted = new ArrayList<>(revisions);
                    sorted.sort((a, b) -> Integer.compare(a.sinceVersion(), b.sinceVersion()));
                    frozenOps.put(name, List.copyOf(sorted));
                });
                frozen.put(domain, Collections.unmodifiableMap(frozenOps));
            });
            return new OpSchemas(Collections.unmodifiableMap(frozen), Collections.unmodifiableMap(origins));
        }
    }
}
