package dev.genledger.proxy.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/** Feeds bytes in pieces of a given size, or at random boundaries, as a network would. */
public final class Chunks {
    private Chunks() {}

    public static void feed(byte[] bytes, int size, BiConsumer<byte[], Integer> sink) {
        for (int i = 0; i < bytes.length; i += size) {
            int n = Math.min(size, bytes.length - i);
            byte[] piece = new byte[n];
            System.arraycopy(bytes, i, piece, 0, n);
            sink.accept(piece, n);
        }
    }

    /** The bytes cut at random boundaries (seeded), into pieces of 1 to maxPiece bytes. */
    public static List<byte[]> random(byte[] bytes, long seed, int maxPiece) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < bytes.length) {
            int n = Math.min(bytes.length - i, 1 + r.nextInt(maxPiece));
            byte[] piece = new byte[n];
            System.arraycopy(bytes, i, piece, 0, n);
            out.add(piece);
            i += n;
        }
        return out;
    }
}
