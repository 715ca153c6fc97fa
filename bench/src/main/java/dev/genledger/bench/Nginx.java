package dev.genledger.bench;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * nginx (Debian's package) as the reference reverse proxy: proxy_pass to the same upstream with
 * an upstream keep-alive pool, as one would configure it in production.
 */
final class Nginx implements AutoCloseable {
    private final Process process;
    private final int port;

    Nginx(int upstreamPort) throws Exception {
        Wrk.ensureInstalled("nginx", "nginx");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Scratch.dir("genledger-nginx");
        Files.createDirectories(dir.resolve("logs"));
        String conf = """
                user root;
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  upstream fake { server 127.0.0.1:%2$d; keepalive 128; }
                  server {
                    listen 127.0.0.1:%3$d;
                    keepalive_requests 1000000;
                    location / {
                      proxy_pass http://fake;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_buffering off;
                    }
                  }
                }
                """.formatted(dir, upstreamPort, port);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        process = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", file.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nginx did not start; see " + dir.resolve("logs"));
    }

    int port() {
        return port;
    }

    /** The master process; the workers are its children. */
    ProcessHandle process() {
        return process.toHandle();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
