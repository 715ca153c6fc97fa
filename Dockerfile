# GenLedger gateway: a multi-stage build (Maven + JDK 21 → JRE 21), running as a non-root user.
# Run:  docker build -t genledger . && docker run -p 8080:8080 -p 8081:8081 \
#         -e GENLEDGER_API_TOKEN=<a long random string> -v genledger-data:/var/lib/genledger genledger
# Binding 0.0.0.0 (as a container must) requires GENLEDGER_API_TOKEN; set GENLEDGER_DATABASE_URL to use
# an external PostgreSQL instead of the embedded one kept in the volume.

FROM maven:3.9.9-eclipse-temurin-21-jammy AS build
WORKDIR /src
# dependencies first, so that source changes reuse the cached layer
COPY pom.xml ./
COPY config/pom.xml config/
COPY pricing/pom.xml pricing/
COPY ledger/pom.xml ledger/
COPY proxy/pom.xml proxy/
COPY dashboard-api/pom.xml dashboard-api/
COPY gateway/pom.xml gateway/
COPY bench/pom.xml bench/
RUN mvn -B -q -DskipTests -Dmaven.main.skip -Dmaven.test.skip=true package || true
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:21.0.5_11-jre-jammy
RUN groupadd --system --gid 10001 genledger \
 && useradd --system --uid 10001 --gid genledger --home-dir /var/lib/genledger --shell /usr/sbin/nologin genledger \
 && mkdir -p /var/lib/genledger /opt/genledger/config \
 && chown genledger:genledger /var/lib/genledger
COPY --from=build /src/gateway/target/genledger.jar /opt/genledger/genledger.jar
COPY --from=build /src/config/gateway.yaml /opt/genledger/config/gateway.yaml
ENV GENLEDGER_BIND=0.0.0.0 \
    GENLEDGER_DATA_DIR=/var/lib/genledger \
    GENLEDGER_CONFIG=/opt/genledger/config/gateway.yaml
VOLUME ["/var/lib/genledger"]
EXPOSE 8080 8081
USER genledger
WORKDIR /opt/genledger
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/genledger/genledger.jar"]
