/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-sources.h: how an account is laid out as EDS sources. */
#pragma once

#include <libedataserver/libedataserver.h>

#include "kontor-account-settings.h"

G_BEGIN_DECLS

/* The Resource identity marking the sources Kontor made. */
#define KONTOR_ACCOUNT_MARK       "kontor-account"
#define KONTOR_FILES_MARK         "kontor-files"
#define KONTOR_FILES_REMOVED_MARK "kontor-files-removed"

typedef enum
{
  KONTOR_SERVICE_MAIL = 1 << 0,
  KONTOR_SERVICE_CALENDAR = 1 << 1,
  KONTOR_SERVICE_CONTACTS = 1 << 2,
  KONTOR_SERVICE_FILES = 1 << 3,
} KontorServiceFlags;

typedef struct
{
  ESource *collection; /* NULL for a mail account made elsewhere without one */
  ESource *mail_account;
  ESource *identity;
  ESource *transport;
  ESource *files;
} KontorAccountSources;

void kontor_account_sources_ensure_types (void);
GList *kontor_account_sources_build (const KontorAccountSettings *settings,
                                     KontorAccountSources *out_sources);
void kontor_account_sources_lookup (ESourceRegistry *registry,
                                    ESource *root,
                                    KontorAccountSources *out_sources);
void kontor_account_sources_clear (KontorAccountSources *sources);
void kontor_account_sources_apply (const KontorAccountSources *sources,
                                   const KontorAccountSettings *settings);
KontorAccountSettings *kontor_account_sources_read (const KontorAccountSources *sources);
GStrv kontor_account_sources_dup_aliases (const KontorAccountSources *sources);
KontorServiceFlags kontor_account_sources_get_available (const KontorAccountSources *sources);
KontorServiceFlags kontor_account_sources_get_enabled (const KontorAccountSources *sources);
gboolean kontor_account_sources_is_read_only (const KontorAccountSources *sources);
const char *kontor_account_sources_get_manager (const KontorAccountSources *sources);

const char *kontor_service_to_string (KontorServiceFlags service);
gboolean kontor_service_from_string (const char *text, KontorServiceFlags *out_service);
GStrv kontor_service_flags_to_strv (KontorServiceFlags flags);

G_END_DECLS
