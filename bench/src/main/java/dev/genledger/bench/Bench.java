package dev.genledger.bench;

/** One benchmark run by {@code bench/run NAME}. */
public interface Bench {
    /** The name given to {@code bench/run}. */
    String name();

    /** One line: what it measures against what. */
    String description();

    /**
     * Runs once, prints its table to standard output and ends with the line
     * {@code NAME: key=value …}.
     */
    void run(Args args) throws Exception;
}
