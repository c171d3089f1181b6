package dev.mecgw.ran.simulator;

/** One simulated API, mounted under its base path (e.g. {@code /3gpp-ueid/v1}). */
interface SimRoute {

    /** The base path, without trailing slash. */
    String basePath();

    /** Whether errors use the 3GPP ProblemDetails (true) or the ETSI one (false). */
    boolean threeGpp();

    /** Handles one request; never throws for bad input, answers a problem instead. */
    SimResponse handle(SimRequest request);
}
