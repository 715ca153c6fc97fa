package dev.genledger.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A fake upstream on a raw socket, for what MockWebServer cannot script: a response written
 * piece by piece with waits in between, a connection reset mid-body, a client that must be seen
 * to cancel. Each connection runs the script in its own thread.
 */
final class ScriptedUpstream implements AutoCloseable {
    /** What a connection does once the request head has been read. */
    @FunctionalInterface
    interface Script {
        void run(String requestHead, InputStream in, OutputStream out, Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    final LinkedBlockingQueue<Throwable> outcomes = new LinkedBlockingQueue<>();

    ScriptedUpstream(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                pool.submit(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        String head = readHead(in);
                        script.run(head, in, s.getOutputStream(), s);
                        outcomes.add(new Done());
                    } catch (Throwable t) {
                        outcomes.add(t);
                    }
                });
            }
        });
    }

    /** Marks a script that ran to its end. */
    static final class Done extends Exception {
        private static final long serialVersionUID = 1L;
    }

    int port() {
        return server.getLocalPort();
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        int c;
        while (state < 4 && (c = in.read()) >= 0) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One chunk of a chunked body. */
    static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
