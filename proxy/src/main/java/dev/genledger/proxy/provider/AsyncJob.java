package dev.genledger.proxy.provider;

import dev.genledger.pricing.Usage;

/**
 * What an exchange means for an asynchronous job (a Replicate prediction, a Veo operation).
 */
public sealed interface AsyncJob {
    /** Not a job: the row is complete as it stands. */
    record None() implements AsyncJob {}

    /**
     * The request started a job whose usage is known only later: the row is written pending,
     * keyed by the job id, and priced when the job finishes.
     */
    record Started(String jobId) implements AsyncJob {}

    /**
     * A poll (or cancel) saw the job in a terminal state: the pending row is finalised.
     *
     * @param status  200 for success, or the status that best describes the failure
     * @param error   null on success; why it failed, was cancelled, aborted or filtered
     * @param usage   the job's final usage, or null to keep the pending row's
     * @param outputs outputs produced, when the pending row's per-output usage should be scaled
     *                (see {@code Finalization}); null otherwise
     */
    record Finished(String jobId, int status, String error, Usage usage, Long outputs) implements AsyncJob {}

    AsyncJob NONE = new None();
}
