/* c-libssl: really calls into OpenSSL 3, so it needs libssl.so.3 and libcrypto.so.3. */
#include <stdio.h>
#include <openssl/ssl.h>
#include <openssl/crypto.h>
int main(void) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());            /* libssl */
    const char *v = OpenSSL_version(OPENSSL_VERSION);          /* libcrypto */
    if (ctx) SSL_CTX_free(ctx);
    printf("ok c-libssl (%s)\n", v);
    return 0;
}
