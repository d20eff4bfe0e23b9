/* What the parameter format costs the server: ROWS inserts of (int, text, numeric, timestamptz)
 * sent pipelined (a sync every 256) through a prepared INSERT, with the parameters in text, then
 * with the int and the timestamptz in binary (numeric stays text in both), ROUNDS times each.
 * usage: param_format CONNINFO ROWS ROUNDS   (prints "text MS" and "binary MS" lines) */
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double milliseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

static double insert(PGconn *conn, int binary, int rows) {
    PQclear(PQexec(conn, "TRUNCATE param_format"));
    double start = milliseconds();
    PQenterPipelineMode(conn);
    for (int i = 0; i < rows; i++) {
        char id[16], name[32], price[32], stamp[40];
        uint32_t binaryId = htonl((uint32_t)i);
        uint64_t micros = (uint64_t)(700000000000000LL + (long long)i * 1000000LL);
        uint64_t binaryMicros = ((uint64_t)htonl((uint32_t)(micros & 0xffffffff)) << 32) | htonl((uint32_t)(micros >> 32));
        snprintf(id, sizeof id, "%d", i);
        snprintf(name, sizeof name, "item %d", i);
        snprintf(price, sizeof price, "%d.25", i);
        snprintf(stamp, sizeof stamp, "2022-03-07 06:13:%02d+00", i % 60);
        const char *values[4] = {binary ? (char *)&binaryId : id, name, price, binary ? (char *)&binaryMicros : stamp};
        int lengths[4] = {binary ? 4 : 0, 0, 0, binary ? 8 : 0};
        int formats[4] = {binary, 0, 0, binary};
        PQsendQueryPrepared(conn, "insert", 4, values, lengths, formats, 0);
        if (i % 256 == 255) PQpipelineSync(conn);
    }
    PQpipelineSync(conn);
    PQflush(conn);
    int syncs = (rows + 255) / 256 + (rows % 256 == 0 ? 1 : 0), seen = 0;
    while (seen < syncs) {
        PGresult *result = PQgetResult(conn);
        if (!result) continue;
        ExecStatusType status = PQresultStatus(result);
        if (status == PGRES_PIPELINE_SYNC) seen++;
        else if (status != PGRES_COMMAND_OK) { fprintf(stderr, "%s", PQresultErrorMessage(result)); exit(1); }
        PQclear(result);
    }
    PQexitPipelineMode(conn);
    return milliseconds() - start;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s conninfo rows rounds\n", argv[0]); return 2; }
    PGconn *conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK) { fprintf(stderr, "%s", PQerrorMessage(conn)); return 1; }
    int rows = atoi(argv[2]), rounds = atoi(argv[3]);
    PQclear(PQexec(conn, "CREATE TABLE IF NOT EXISTS param_format (id int, name text, price numeric(12,2), created_at timestamptz)"));
    PGresult *prepared = PQprepare(conn, "insert", "INSERT INTO param_format VALUES ($1, $2, $3, $4)", 0, NULL);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) { fprintf(stderr, "%s", PQerrorMessage(conn)); return 1; }
    PQclear(prepared);
    for (int round = 0; round < rounds; round++) {
        printf("text %.0f\n", insert(conn, 0, rows));
        printf("binary %.0f\n", insert(conn, 1, rows));
    }
    PQfinish(conn);
    return 0;
}
