package loopbench.conformance.fuzz;

import java.util.ArrayList;
import java.util.List;

/** What a block may refer to and what it may do: see {@link ScenarioGenerator}'s class comment. */
final class Scope {
    final List<String> promises = new ArrayList<>();
    /** Started timers and immediates by id, for ref/unref/hasRef/refresh (T[id] must exist). */
    final List<String> timeouts = new ArrayList<>(), immediates = new ArrayList<>();

    final List<String> resolvers = new ArrayList<>();
    /** Promises that settle for sure (or the program ends first): what a forAwaitInterval body may await. */
    final List<String> settling = new ArrayList<>();
    /**
     * This block is (synchronously) part of a forAwaitInterval's body: its awaits name only {@link
     * #settling} promises, since a body parked for ever keeps a ref'd interval, and the program, running.
     */
    boolean awaitsMustSettle;

    final List<String> emitters = new ArrayList<>();
    /** Named functions defined before this block opened: a function only calls earlier ones, so no recursion. */
    final List<String> functions = new ArrayList<>();

    boolean inAsync;
    int depth;
    /** Lowest (emitter, event) pair number this block may emit. */
    int emitFloor;
    /**
     * Nothing may throw out of this block: it is (synchronously) inside a setInterval callback,
     * where an exception would skip the oracle's "clear after the times-th run" and leave the
     * interval running for ever. So no throw and no emit (a listener may throw) unless a try
     * catches them.
     */
    boolean noThrow;

    Turn turn;
    /** The block runs at most once (not in an interval or a listener). */
    boolean once = true;
    /** How many io callbacks this block is nested in. */
    int ioAncestors;

    static Scope main() {
        Scope s = new Scope();
        s.turn = new Turn(true, false);
        return s;
    }

    private Scope copy(boolean async, int depthIncrement) {
        Scope c = new Scope();
        c.promises.addAll(promises);
        c.timeouts.addAll(timeouts);
        c.immediates.addAll(immediates);
        c.resolvers.addAll(resolvers);
        c.emitters.addAll(emitters);
        c.functions.addAll(functions);
        c.inAsync = async;
        c.depth = depth + depthIncrement;
        c.emitFloor = emitFloor;
        c.noThrow = noThrow;
        c.turn = turn;
        c.once = once;
        c.ioAncestors = ioAncestors;
        c.settling.addAll(settling);
        c.awaitsMustSettle = awaitsMustSettle;
        return c;
    }

    /**
     * A nested block that runs now or in this turn's ticks and microtasks, or catches what it
     * throws: sees what this block has defined so far.
     */
    Scope nested(boolean async) {
        Scope c = copy(async, 1);
        c.noThrow = false;
        return c;
    }

    /** A nested block that runs synchronously and lets exceptions through (a catch block). */
    Scope nestedSync(boolean async) {
        return copy(async, 1);
    }

    /** The body of a macrotask callback: a turn of its own; an interval's body is run several times and must not throw. */
    Scope callback(boolean racyTurn, boolean io, boolean interval) {
        Scope c = copy(false, 1);
        c.turn = new Turn(racyTurn, io);
        c.noThrow = interval;
        if (interval) c.once = false;
        if (io) c.ioAncestors++;
        return c;
    }

    /** A promise handler, a listener or an async body (after an await): may run in this turn or a later one of any kind. */
    Scope anyTurn(boolean async, boolean runsOnce) {
        Scope c = copy(async, 1);
        c.noThrow = false;
        if (!turn.racy) c.turn = new Turn(true, false);
        if (!runsOnce) c.once = false;
        c.awaitsMustSettle = false; // a body of its own: the loop's consumer does not wait for it
        return c;
    }

    /** An if's branch or a repeat's body: part of this block's function; a repeat's runs more than once. */
    Scope sameFunction(boolean repeated) {
        Scope c = copy(inAsync, 1);
        if (repeated) c.once = false;
        return c;
    }

    /**
     * A named function's body: called from any turn, any number of times, maybe from inside an
     * interval, so it throws nothing and emits nothing (an emit from a listener's call could reach
     * that listener again), starts no immediate and only timers of at least MARGIN_MS (its Turn
     * says it has both already: a caller's turn could hold either), and no io.
     */
    Scope functionBody() {
        Scope c = copy(false, 1);
        c.turn = new Turn(true, false);
        c.turn.immediate = true;
        c.turn.shortTimer = true;
        c.noThrow = true;
        c.emitFloor = Integer.MAX_VALUE;
        c.once = false;
        return c;
    }

    Scope withEmitFloor(int floor) {
        Scope c = copy(inAsync, 0);
        c.emitFloor = Math.max(emitFloor, floor);
        return c;
    }
}
