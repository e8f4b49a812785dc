/* SPDX-License-Identifier: Apache-2.0 */
/* annual_report() (collector.h): the model, then the format asked for,
 * all in one read snapshot of the store. */
#define _GNU_SOURCE
#include <string.h>

#include "model.h"
#include "i18n.h"

static void end_snapshot(store *s, store *twin)
{
	if (twin) {
		store_read_end(twin);
		store_close(twin);
	}
	store_read_end(s);
}

int annual_report(store *s, const annual_options *o, char *err, size_t err_size)
{
	err[0] = '\0';
	store *twin = NULL; /* the same snapshot, read on a second thread */
	if (store_read_begin_twin(s, &twin, err, err_size) != 0)
		return -1;
	annual_model m;
	/* the evidence list is read once: csv's rows go to evidence.csv as
	 * the model reads it, html's and json's where the file lists it
	 * (am_evidence_write); the workbook lists it per host and month,
	 * read on twin beside its other sheets */
	bool xlsx = !strcmp(o->format, "xlsx"), csv = !strcmp(o->format, "csv");
	am_evidence_row row = xlsx ? NULL
			    : csv			 ? annual_csv_evidence_row
			    : !strcmp(o->format, "json") ? annual_json_evidence_row
							 : annual_html_evidence_row;
	am_out evidence = {0}; /* CSV: evidence.csv, written in am_build */
	int rc = csv ? annual_csv_begin(o, &evidence, err, err_size) : 0;
	if (rc != 0) {
		end_snapshot(s, twin);
		return -1;
	}
	rc = am_build(&m, s, twin, o, row, csv ? evidence.f : NULL, xlsx, err, err_size);
	if (csv) {
		if (rc == 0)
			rc = annual_write_csv(&m, s, o->out, &evidence, err, err_size);
		else
			am_out_abort(&evidence);
	} else if (rc == 0 && xlsx) {
		rc = annual_write_xlsx(&m, s, twin, o->out, err, err_size);
	} else if (rc == 0) {
		am_out out;
		rc = am_out_open(&out, o->out, err, err_size);
		if (rc == 0) {
			rc = !strcmp(o->format, "json") ? annual_write_json(&m, s, out.f, err, err_size)
							: annual_write_html(&m, s, out.f, err, err_size);
			if (rc == 0)
				rc = am_out_commit(&out, err, err_size);
			else
				am_out_abort(&out);
		}
	}
	if (rc != 0 && !err[0])
		snprintf(err, err_size, _("cannot write the report"));
	am_free(&m);
	end_snapshot(s, twin);
	return rc;
}
