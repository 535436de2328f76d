/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-journal.c: one line per pending move ("source TAB uid TAB destination",
 * folder names escaped), the file replaced atomically on every change. Thread-safe:
 * the UI adds entries while a sync replays them. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kontor-mail-journal.h"

struct _KontorMailJournal
{
  GMutex lock;
  char *path;
  GPtrArray *entries;
};

void
kontor_mail_journal_entry_free (KontorMailJournalEntry *entry)
{
  g_free (entry->source);
  g_free (entry->uid);
  g_free (entry->destination);
  g_free (entry);
}

static KontorMailJournalEntry *
entry_new (const char *source, const char *uid, const char *destination)
{
  KontorMailJournalEntry *entry = g_new0 (KontorMailJournalEntry, 1);

  entry->source = g_strdup (source);
  entry->uid = g_strdup (uid);
  entry->destination = g_strdup (destination);
  return entry;
}

static void
read_file (KontorMailJournal *self)
{
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (self->path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], "\t", 3);

      if (g_strv_length (fields) != 3)
        continue;
      {
        g_autofree char *source = g_strcompress (fields[0]);
        g_autofree char *destination = g_strcompress (fields[2]);

        g_ptr_array_add (self->entries, entry_new (source, fields[1], destination));
      }
    }
}

static gboolean
write_file (KontorMailJournal *self, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *dir = g_path_get_dirname (self->path);

  if (self->entries->len == 0)
    {
      if (g_unlink (self->path) != 0 && errno != ENOENT)
        return g_file_set_contents (self->path, "", 0, error);
      return TRUE;
    }
  for (guint i = 0; i < self->entries->len; i++)
    {
      KontorMailJournalEntry *entry = g_ptr_array_index (self->entries, i);
      g_autofree char *source = g_strescape (entry->source, NULL);
      g_autofree char *destination = g_strescape (entry->destination, NULL);

      g_string_append_printf (out, "%s\t%s\t%s\n", source, entry->uid, destination);
    }
  g_mkdir_with_parents (dir, 0700);
  return g_file_set_contents_full (self->path, out->str, out->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

KontorMailJournal *
kontor_mail_journal_new (const char *path)
{
  KontorMailJournal *self = g_new0 (KontorMailJournal, 1);

  g_mutex_init (&self->lock);
  self->path = g_strdup (path);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_mail_journal_entry_free);
  read_file (self);
  return self;
}

void
kontor_mail_journal_free (KontorMailJournal *self)
{
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_ptr_array_unref (self->entries);
  g_free (self);
}

gboolean
kontor_mail_journal_add (KontorMailJournal *self,
                         const char *source,
                         const char *uid,
                         const char *destination,
                         GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  for (guint i = 0; i < self->entries->len; i++)
    {
      KontorMailJournalEntry *entry = g_ptr_array_index (self->entries, i);

      /* Moved again before the first move reached the server: one move does both. */
      if (strcmp (entry->source, source) == 0 && strcmp (entry->uid, uid) == 0)
        {
          g_free (entry->destination);
          entry->destination = g_strdup (destination);
          return write_file (self, error);
        }
    }
  g_ptr_array_add (self->entries, entry_new (source, uid, destination));
  if (!write_file (self, error))
    {
      g_ptr_array_remove_index (self->entries, self->entries->len - 1);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
kontor_mail_journal_dup_entries (KontorMailJournal *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GPtrArray *copy =
    g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_mail_journal_entry_free);

  for (guint i = 0; i < self->entries->len; i++)
    {
      KontorMailJournalEntry *entry = g_ptr_array_index (self->entries, i);

      g_ptr_array_add (copy, entry_new (entry->source, entry->uid, entry->destination));
    }
  return copy;
}

gboolean
kontor_mail_journal_remove (KontorMailJournal *self,
                            const KontorMailJournalEntry *done,
                            GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  for (guint i = 0; i < self->entries->len; i++)
    {
      KontorMailJournalEntry *entry = g_ptr_array_index (self->entries, i);

      if (strcmp (entry->source, done->source) == 0 && strcmp (entry->uid, done->uid) == 0 &&
          strcmp (entry->destination, done->destination) == 0)
        {
          g_ptr_array_remove_index (self->entries, i);
          return write_file (self, error);
        }
    }
  return TRUE;
}

gboolean
kontor_mail_journal_contains (KontorMailJournal *self, const char *source, const char *uid)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  for (guint i = 0; i < self->entries->len; i++)
    {
      KontorMailJournalEntry *entry = g_ptr_array_index (self->entries, i);

      if (strcmp (entry->source, source) == 0 && strcmp (entry->uid, uid) == 0)
        return TRUE;
    }
  return FALSE;
}

guint
kontor_mail_journal_get_length (KontorMailJournal *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->entries->len;
}
