/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-outbox-edit.c: taking a waiting message back out of the Outbox to edit
 * it again (Edit in the Outbox, Undo after Send). The stored message is read back
 * into composer fields as a stored draft is (kontor_mail_draft_new_from_message ()),
 * the attachments written as files into a folder the caller names. Bcc is in no
 * header, so it is what the envelope has beyond To and Cc. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kontor-error.h"
#include "kontor-mail-content.h"
#include "kontor-mail-draft-store.h"
#include "kontor-mail-outbox-private.h"

/* When the entry @id may be sent at the earliest, 0 when it is not held (or gone). */
gint64
kontor_mail_outbox_get_send_after (KontorMailOutbox *self, const char *id)
{
  g_autoptr (GMutexLocker) locker = NULL;
  KontorMailOutboxEntry *entry;

  g_return_val_if_fail (KONTOR_IS_MAIL_OUTBOX (self), 0);
  locker = g_mutex_locker_new (&self->lock);
  entry = g_hash_table_lookup (self->entries, id);
  return entry != NULL ? entry->send_after : 0;
}

static KontorMailOutboxEntry *
dup_entry (KontorMailOutbox *self, const char *id)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  KontorMailOutboxEntry *entry = g_hash_table_lookup (self->entries, id);

  return entry != NULL ? kontor_mail_outbox_entry_copy (entry) : NULL;
}

static GStrv
dup_list (GPtrArray *list)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < list->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (list, i));
  return g_strv_builder_end (builder);
}

static void
remove_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

/* Writes each attachment into @dir under its own name (numbered when two share one). */
static GStrv
save_attachments (KontorMailContent *content,
                  const char *dir,
                  GCancellable *cancellable,
                  GError **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (content->attachments->len > 0 && g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED, _ ("The folder %s cannot be made"),
                   dir);
      return NULL;
    }
  for (guint i = 0; i < content->attachments->len; i++)
    {
      KontorMailAttachment *attachment = g_ptr_array_index (content->attachments, i);
      g_autofree char *path = g_build_filename (dir, attachment->name, NULL);
      g_autoptr (GFile) file = NULL;

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_autofree char *numbered = g_strdup_printf ("%u-%s", i, attachment->name);

          g_free (path);
          path = g_build_filename (dir, numbered, NULL);
        }
      file = g_file_new_for_path (path);
      if (!kontor_mail_attachment_save (attachment, file, cancellable, error))
        return NULL;
      g_strv_builder_add (builder, path);
    }
  return g_strv_builder_end (builder);
}

/**
 * kontor_mail_outbox_take_fields_sync:
 * @parts_dir: where the attachments are written, made when needed
 *
 * Takes the entry @id out of the Outbox (unless it is being sent right now) and gives
 * back what it was made from, for a composer. Nothing is removed when reading fails.
 *
 * Returns: (transfer full): the fields, or %NULL with a KontorError
 */
KontorMailComposeFields *
kontor_mail_outbox_take_fields_sync (KontorMailOutbox *self,
                                     const char *id,
                                     const char *parts_dir,
                                     GCancellable *cancellable,
                                     GError **error)
{
  g_autoptr (KontorMailOutboxEntry) entry = NULL;
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (KontorMailContent) content = NULL;
  g_autoptr (KontorMailComposeFields) fields = NULL;
  g_autoptr (KontorMailDraft) draft = NULL;
  g_autoptr (GStrvBuilder) bcc = NULL;

  g_return_val_if_fail (KONTOR_IS_MAIL_OUTBOX (self), NULL);
  if ((entry = dup_entry (self, id)) == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                   _ ("The Outbox has no message “%s”"), id);
      return NULL;
    }
  if ((message = kontor_mail_outbox_load_message (self, id, cancellable, error)) == NULL)
    {
      if ((*error)->domain != KONTOR_ERROR)
        {
          g_prefix_error (error, _ ("The message cannot be read from the Outbox: "));
          (*error)->domain = KONTOR_ERROR;
          (*error)->code = KONTOR_ERROR_FAILED;
        }
      return NULL;
    }
  /* Read back as a draft from the Drafts folder is: one way from a message to fields. */
  draft = kontor_mail_draft_new_from_message (message);
  content = kontor_mail_content_new (message);
  fields = kontor_mail_compose_fields_new ();
  fields->from = g_strdup (entry->from);
  g_strfreev (fields->to);
  fields->to = dup_list (draft->to);
  g_strfreev (fields->cc);
  fields->cc = dup_list (draft->cc);
  bcc = g_strv_builder_new ();
  for (guint i = 0; i < draft->bcc->len; i++)
    g_strv_builder_add (bcc, g_ptr_array_index (draft->bcc, i));
  for (guint i = 0; entry->recipients[i] != NULL; i++)
    if (!kontor_mail_draft_has_recipient (draft, entry->recipients[i]))
      g_strv_builder_add (bcc, entry->recipients[i]);
  g_strfreev (fields->bcc);
  fields->bcc = g_strv_builder_end (bcc);
  g_free (fields->subject);
  fields->subject = g_steal_pointer (&draft->subject);
  g_free (fields->body);
  fields->body = g_steal_pointer (&draft->body);
  fields->in_reply_to = g_steal_pointer (&draft->in_reply_to);
  fields->references = g_steal_pointer (&draft->references);
  if ((fields->attachments = save_attachments (content, parts_dir, cancellable, error)) == NULL)
    {
      remove_dir (parts_dir);
      if ((*error)->domain != KONTOR_ERROR)
        {
          (*error)->domain = KONTOR_ERROR;
          (*error)->code = KONTOR_ERROR_FAILED;
        }
      return NULL;
    }
  /* Only now: a message that cannot be given back stays where it is. */
  if (!kontor_mail_outbox_cancel_sync (self, id, error))
    {
      remove_dir (parts_dir);
      return NULL;
    }
  return g_steal_pointer (&fields);
}
