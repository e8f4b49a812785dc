/* SHA-256 and random bytes on POSIX systems, from OpenSSL's libcrypto. */
#include "hostaudit/platform.h"

#include <limits.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

int platform_random_bytes(void *buf, size_t n)
{
	if (n > INT_MAX)
		return -1;
	return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

int platform_sha256(const void *data, size_t len, unsigned char out[32])
{
	return EVP_Digest(data, len, out, NULL, EVP_sha256(), NULL) == 1 ? 0 : -1;
}
