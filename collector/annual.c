/* placeholder, replaced below */
#include "collector.h"
int annual_report(store *s, const annual_options *o, char *err, size_t err_size)
{
	(void)s; (void)o;
	snprintf(err, err_size, "not yet");
	return -1;
}
