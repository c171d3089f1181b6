package dev.mecgw.inference.onnx;

/**
 * How ONNX Runtime sessions are built.
 *
 * @param intraOpThreads threads used inside one operator; 0 lets ONNX Runtime choose
 * @param interOpThreads threads used across independent operators; 0 lets ONNX Runtime choose
 * @param optimization graph optimization level
 * @param cuda whether to try the CUDA execution provider; it is used only when also present in the runtime
 */
public record SessionSettings(int intraOpThreads, int interOpThreads, Optimization optimization, boolean cuda) {

    /** Graph optimization levels of ONNX Runtime. */
    public enum Optimization {
        NONE,
        BASIC,
        EXTENDED,
        ALL
    }

    /** One intra-op thread, all optimizations, CPU: what the gateway's worker pool expects. */
    public static SessionSettings defaults() {
        return new SessionSettings(1, 1, Optimization.ALL, false);
    }
}
