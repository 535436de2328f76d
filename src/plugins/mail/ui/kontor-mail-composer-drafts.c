/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-drafts.c: each open composer keeps its fields in a key file,
 * $XDG_DATA_HOME/kontor/mail/drafts/<uuid>, written three seconds after the last change
 * (atomically, in a worker thread) and removed once the message is queued or
 * discarded; files a forward attached live beside it in <uuid>.parts. Whatever is
 * left there at start-up was not sent, and is opened again. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "kontor-mail-composer-private.h"

#define SAVE_DELAY_S 3
#define GROUP        "Draft"

char *
kontor_mail_composer_dup_drafts_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "kontor", "mail", "drafts", NULL);
}

typedef struct
{
  char *path;
  char *contents; /* NULL: delete */
  gsize length;
} DraftWrite;

static void
draft_write_free (gpointer data)
{
  DraftWrite *write = data;

  g_free (write->path);
  g_free (write->contents);
  g_free (write);
}

static void
remove_parts (const char *path)
{
  g_autofree char *parts = g_strconcat (path, ".parts", NULL);
  g_autoptr (GDir) dir = g_dir_open (parts, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (parts, name, NULL);

      g_unlink (file);
    }
  g_rmdir (parts);
}

/* Runs in the writer thread. */
static void
write_draft (gpointer data, gpointer unused)
{
  DraftWrite *write = data;
  g_autofree char *dir = g_path_get_dirname (write->path);
  GError *error = NULL;

  if (write->contents == NULL)
    {
      g_unlink (write->path);
      remove_parts (write->path);
    }
  else if (g_mkdir_with_parents (dir, 0700) != 0 ||
           !g_file_set_contents_full (write->path, write->contents, write->length,
                                      G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_warning ("Could not save the draft %s: %s", write->path,
                 error != NULL ? error->message : g_strerror (errno));
      g_clear_error (&error);
    }
  draft_write_free (write);
}

/* One writer thread: writes happen in order, so an older save never overwrites a
 * newer one and a deletion is the last word. */
static void
queue_write (const char *path, char *contents, gsize length)
{
  static GThreadPool *pool;
  DraftWrite *write = g_new0 (DraftWrite, 1);

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (write_draft, NULL, 1, FALSE, NULL));
  write->path = g_strdup (path);
  write->contents = contents;
  write->length = length;
  g_thread_pool_push (pool, write, NULL);
}

void
kontor_mail_composer_save_now (KontorMailComposer *self)
{
  g_autoptr (KontorMailComposeFields) fields = kontor_mail_composer_dup_fields (self);
  g_autoptr (GKeyFile) file = g_key_file_new ();
  const GStrv lists[] = { fields->to, fields->cc, fields->bcc, fields->attachments };
  const char *const list_keys[] = { "to", "cc", "bcc", "attachments" };
  char *contents;
  gsize length;

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->done || self->draft_path == NULL)
    return;
  /* Nothing to restore from an empty message. */
  if (kontor_mail_composer_is_empty (self))
    {
      queue_write (self->draft_path, NULL, 0);
      return;
    }
  if (fields->from != NULL)
    g_key_file_set_string (file, GROUP, "from", fields->from);
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    g_key_file_set_string_list (file, GROUP, list_keys[i], (const char *const *) lists[i],
                                g_strv_length (lists[i]));
  g_key_file_set_string (file, GROUP, "subject", fields->subject);
  g_key_file_set_string (file, GROUP, "body", fields->body);
  if (fields->html_body != NULL)
    {
      g_key_file_set_string (file, GROUP, "html", fields->html_body);
      g_key_file_set_string_list (file, GROUP, "inline-images",
                                  (const char *const *) fields->inline_images,
                                  g_strv_length (fields->inline_images));
      g_key_file_set_string_list (file, GROUP, "inline-ids",
                                  (const char *const *) fields->inline_ids,
                                  g_strv_length (fields->inline_ids));
    }
  if (fields->in_reply_to != NULL)
    g_key_file_set_string (file, GROUP, "in-reply-to", fields->in_reply_to);
  if (fields->references != NULL)
    g_key_file_set_string (file, GROUP, "references", fields->references);
  if (kontor_mail_composer_get_server_id (self) != NULL)
    g_key_file_set_string (file, GROUP, "server-id", kontor_mail_composer_get_server_id (self));
  contents = g_key_file_to_data (file, &length, NULL);
  queue_write (self->draft_path, contents, length);
}

static gboolean
save_cb (gpointer data)
{
  KontorMailComposer *self = data;

  self->save_id = 0;
  kontor_mail_composer_save_now (self);
  return G_SOURCE_REMOVE;
}

void
kontor_mail_composer_schedule_save (KontorMailComposer *self)
{
  if (self->done)
    return;
  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add_seconds (SAVE_DELAY_S, save_cb, self);
}

void
kontor_mail_composer_delete_draft (KontorMailComposer *self)
{
  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->draft_path != NULL)
    queue_write (self->draft_path, NULL, 0);
}

/* After the window closed (the server took the kept draft); behind any pending save. */
void
kontor_mail_composer_delete_draft_file (const char *path)
{
  queue_write (path, NULL, 0);
}

/* Listing at start-up ---------------------------------------------------------------- */

static void
list_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autofree char *dir_path = kontor_mail_composer_dup_drafts_dir ();
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_key_file_unref);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr (GKeyFile) file = g_key_file_new ();

      /* Temporary files of an interrupted save and the .parts folders are not drafts. */
      if (!g_uuid_string_is_valid (name) ||
          !g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL) ||
          !g_key_file_has_group (file, GROUP))
        continue;
      g_key_file_set_string (file, "File", "path", path);
      g_ptr_array_add (drafts, g_steal_pointer (&file));
    }
  g_task_return_pointer (task, drafts, (GDestroyNotify) g_ptr_array_unref);
}

void
kontor_mail_composer_list_drafts_async (GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, kontor_mail_composer_list_drafts_async);
  g_task_run_in_thread (task, list_thread);
}

/* Returns: (element-type GKeyFile): each draft, its file's path in the group "File". */
GPtrArray *
kontor_mail_composer_list_drafts_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
