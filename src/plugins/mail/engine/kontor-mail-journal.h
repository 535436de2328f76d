/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-journal.h: moves made while offline, kept on disk until the server has
 * done them, so none is lost by a quit or a crash and none is done twice. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *source; /* folder full name */
  char *uid;
  char *destination; /* folder full name */
} KontorMailJournalEntry;

typedef struct _KontorMailJournal KontorMailJournal;

KontorMailJournal *kontor_mail_journal_new (const char *path);
void kontor_mail_journal_free (KontorMailJournal *self);
gboolean kontor_mail_journal_add (KontorMailJournal *self,
                                  const char *source,
                                  const char *uid,
                                  const char *destination,
                                  GError **error);
GPtrArray *kontor_mail_journal_dup_entries (KontorMailJournal *self);
gboolean kontor_mail_journal_remove (KontorMailJournal *self,
                                     const KontorMailJournalEntry *entry,
                                     GError **error);
gboolean
kontor_mail_journal_contains (KontorMailJournal *self, const char *source, const char *uid);
guint kontor_mail_journal_get_length (KontorMailJournal *self);
void kontor_mail_journal_entry_free (KontorMailJournalEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorMailJournal, kontor_mail_journal_free)

G_END_DECLS
