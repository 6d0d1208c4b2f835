package org.onnx2trt.rewrite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.onnx2trt.transform.DeadCode;

/**
 * What a rewrite run did: each application (rule, matched nodes, values created) and each decline
 * with its reason, in order. It answers "why did rule R not fire on node N?".
 */
public final class Trace {

    /** One event of a run. */
    public sealed interface Event {
        String rule();

        String node();
    }

    /** Rule {@code rule} rewrote the match rooted at {@code node}. */
    public record Applied(String rule, String node, List<String> matchedNodes, List<String> createdValues)
            implements Event {}

    /** Rule {@code rule} did not rewrite at {@code node}, for {@code reason}. */
    public record Declined(String rule, String node, String reason) implements Event {}

    /** A stage stopped at its iteration bound before reaching a fixpoint. */
    public record BoundReached(String rule, String node, int bound) implements Event {}

    private final List<Event> events = new ArrayList<>();
    private final java.util.Set<Event> once = new java.util.HashSet<>();
    private DeadCode.Removed swept = new DeadCode.Removed(0, 0);
    private final boolean recordStructuralDeclines;

    /**
     * @param recordStructuralDeclines also record matches that failed on structure (op types,
     *     wiring), not only on checks: many events on a large graph, so off unless explaining
     */
    public Trace(boolean recordStructuralDeclines) {
        this.recordStructuralDeclines = recordStructuralDeclines;
    }

    public boolean recordsStructuralDeclines() {
        return recordStructuralDeclines;
    }

    void add(Event e) {
        events.add(e);
    }

    /** Appends the events of a later stage's own run (QDQ placement), so that one trace answers for the whole run. */
    public void addAll(Trace later) {
        events.addAll(later.events());
    }

    /** Adds {@code e} unless it was added this way before (a stage runs again in every round of a fixpoint). */
    void addOnce(Event e) {
        if (once.add(e)) {
            events.add(e);
        }
    }

    void addSwept(DeadCode.Removed removed) {
        swept = swept.plus(removed);
    }

    /** What the dead-code sweeps of the run removed (nodes nothing reads, unused initializers). */
    public DeadCode.Removed swept() {
        return swept;
    }

    public List<Event> events() {
        return Collections.unmodifiableList(events);
    }

    /** The applications only. */
    public List<Applied> applications() {
        return events.stream().filter(e -> e instanceof Applied).map(e -> (Applied) e).toList();
    }

    /** Every event about node {@code node}, for {@code --explain NODE}. */
    public List<Event> about(String node) {
        return events.stream().filter(e -> e.node().equals(node)).toList();
    }
}
