/* c-libpq: calls PQlibVersion(), so it needs libpq.so.5 (libpq5, which in turn pulls
   in libssl, libcrypto, gssapi, ldap ...). No server connection is made. */
#include <stdio.h>
#include <libpq-fe.h>
int main(void) { printf("ok c-libpq (libpq %d)\n", PQlibVersion()); return 0; }
