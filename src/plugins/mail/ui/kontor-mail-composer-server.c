/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-server.c: the composer's copy in the Drafts folder of the
 * account it is from, so that it is on every device. While there are changes the
 * server does not have, the message is stored there a period after the first of them
 * (a minute; KONTOR_MAIL_DRAFT_SAVE_SECONDS in tests), and on "Keep as Draft", each
 * copy replacing the one before; it is deleted when the message is sent or discarded.
 * The server work is a queue, one operation at a time in a worker, that outlives the
 * window: the copy a save is storing is the one the next save replaces. Offline or on
 * an error the draft on disk stays and the save is tried again a period later; typing
 * never waits. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include "kontor-mail-composer-private.h"
#include "kontor-mail-draft-store.h"

#define DEFAULT_PERIOD_S 60

struct _KontorMailComposerServer
{
  KontorMailEngine *engine;
  KontorMailComposer *composer; /* weak: NULL once the window is gone */
  char *server_id;              /* the copy on the server, or NULL */
  GQueue ops;                   /* Op, waiting */
  gboolean running;
  guint save_id;
  gboolean dirty;  /* changes the server does not have */
  gboolean edited; /* changed in this window since it was opened from the server */
};

typedef struct
{
  KontorMailComposerServer *server;
  KontorMailComposeFields *fields; /* NULL: remove the copy */
  char *account_id;
  char *name;
  char *address;
  char *replaces;
  char *draft_path; /* deleted once the server has the copy: Keep as Draft */
} Op;

static void run_next (KontorMailComposerServer *server);

static guint
get_period (void)
{
  const char *text = g_getenv ("KONTOR_MAIL_DRAFT_SAVE_SECONDS");
  guint64 seconds;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, 24 * 3600, &seconds, NULL))
    return seconds;
  return DEFAULT_PERIOD_S;
}

static void
server_free (KontorMailComposerServer *server)
{
  g_clear_handle_id (&server->save_id, g_source_remove);
  g_clear_object (&server->engine);
  g_free (server->server_id);
}

static void
op_free (gpointer data)
{
  Op *op = data;

  g_rc_box_release_full (op->server, (GDestroyNotify) server_free);
  g_clear_pointer (&op->fields, kontor_mail_compose_fields_free);
  g_free (op->account_id);
  g_free (op->name);
  g_free (op->address);
  g_free (op->replaces);
  g_free (op->draft_path);
  g_free (op);
}

static gpointer
op_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  Op *op = data;
  KontorMailSender sender = { op->name, op->address };

  if (op->fields != NULL)
    return kontor_mail_draft_store_sync (engine, op->account_id, op->fields, &sender, op->replaces,
                                         cancellable, error);
  if (!kontor_mail_draft_remove_sync (engine, op->replaces, cancellable, error))
    return NULL;
  return g_strdup ("");
}

static void schedule (KontorMailComposerServer *server);

static void
op_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Op *op = user_data;
  KontorMailComposerServer *server = op->server;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);

  server->running = FALSE;
  if (id == NULL)
    {
      g_message ("The draft stays on this computer: %s", error->message);
      /* Tried again later, if the window is still open to say what to store. */
      if (op->fields != NULL && server->composer != NULL)
        {
          server->dirty = TRUE;
          schedule (server);
        }
    }
  else
    {
      g_free (server->server_id);
      server->server_id = *id != '\0' ? g_steal_pointer (&id) : NULL;
      if (op->draft_path != NULL)
        kontor_mail_composer_delete_draft_file (op->draft_path);
      /* The draft file remembers which copy to replace after a crash. */
      else if (server->composer != NULL && op->fields != NULL)
        kontor_mail_composer_save_now (server->composer);
    }
  /* The finished operation still holds the queue, which may have no other owner. */
  run_next (server);
  op_free (op);
}

static void
run_next (KontorMailComposerServer *server)
{
  Op *op;

  if (server->running || (op = g_queue_pop_head (&server->ops)) == NULL)
    return;
  /* The copy to replace is known only now: the save before may just have stored it. */
  op->replaces = g_strdup (server->server_id);
  if (op->fields == NULL && op->replaces == NULL)
    {
      op_free (op);
      run_next (server);
      return;
    }
  server->running = TRUE;
  /* No cancellable: the window may close while the server works. */
  kontor_mail_engine_run_async (server->engine, op_job, op, NULL, g_free, NULL, op_done_cb, op);
}

static void
push (KontorMailComposerServer *server, Op *op)
{
  op->server = g_rc_box_acquire (server);
  g_queue_push_tail (&server->ops, op);
  run_next (server);
}

static KontorMailComposerServer *
ensure_server (KontorMailComposer *self)
{
  if (self->server == NULL)
    {
      self->server = g_rc_box_new0 (KontorMailComposerServer);
      self->server->engine = g_object_ref (self->engine);
      self->server->composer = self;
    }
  return self->server;
}

/* The account sending as @address, else the first one. */
static char *
dup_account_id (KontorMailEngine *engine, const char *address)
{
  GListModel *roots = kontor_mail_engine_get_folders (engine);
  g_autofree char *first = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (roots); i++)
    {
      g_autoptr (KontorMailFolder) root = g_list_model_get_item (roots, i);
      const char *id = kontor_mail_folder_get_account_id (root);
      KontorMailAccount *account =
        id != NULL ? kontor_mail_engine_lookup_account (engine, id) : NULL;

      if (account == NULL)
        continue;
      if (address != NULL &&
          g_ascii_strcasecmp (kontor_mail_account_get_email (account) ?: "", address) == 0)
        return g_strdup (id);
      if (first == NULL)
        first = g_strdup (id);
    }
  return g_steal_pointer (&first);
}

/* The message as it is now, for the server; FALSE while the sender is not known yet. */
static gboolean
store (KontorMailComposer *self, const char *draft_path)
{
  guint from = gtk_drop_down_get_selected (self->from_dropdown);
  g_autoptr (CamelInternetAddress) sender = camel_internet_address_new ();
  const char *name = NULL, *address = NULL;
  g_autofree char *account_id = NULL;
  Op *op;

  if (self->engine == NULL || self->senders == NULL || from >= g_strv_length (self->senders) ||
      camel_address_decode (CAMEL_ADDRESS (sender), self->senders[from]) <= 0 ||
      !camel_internet_address_get (sender, 0, &name, &address) ||
      (account_id = dup_account_id (self->engine, address)) == NULL)
    return FALSE;
  op = g_new0 (Op, 1);
  op->fields = kontor_mail_composer_dup_fields (self);
  op->account_id = g_steal_pointer (&account_id);
  op->name = g_strdup (name);
  op->address = g_strdup (address);
  op->draft_path = g_strdup (draft_path);
  push (ensure_server (self), op);
  return TRUE;
}

static gboolean
save_cb (gpointer data)
{
  KontorMailComposerServer *server = data;
  KontorMailComposer *self = server->composer;

  server->save_id = 0;
  if (self == NULL || !server->dirty || self->done || self->sending)
    return G_SOURCE_REMOVE;
  server->dirty = FALSE;
  if (!store (self, NULL))
    {
      server->dirty = TRUE;
      schedule (server);
    }
  return G_SOURCE_REMOVE;
}

/* A period after the first change the server does not have, never more often. */
static void
schedule (KontorMailComposerServer *server)
{
  if (server->save_id == 0)
    server->save_id = g_timeout_add_seconds (get_period (), save_cb, server);
}

/* The user changed the message. */
void
kontor_mail_composer_server_changed (KontorMailComposer *self)
{
  KontorMailComposerServer *server;

  /* Widgets torn down with the window must not start a save again. */
  if (self->done || self->engine == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  server = ensure_server (self);
  server->dirty = TRUE;
  server->edited = TRUE;
  schedule (server);
}

/* "Keep as Draft": the window closes now; the draft file goes once the server has the
 * copy, and stays (the composer opens again at the next start) if it cannot. */
void
kontor_mail_composer_keep (KontorMailComposer *self)
{
  kontor_mail_composer_save_now (self);
  if (self->server != NULL)
    g_clear_handle_id (&self->server->save_id, g_source_remove);
  store (self, self->draft_path);
}

/* Sent or discarded: the copy on the server goes, after any save still running. */
void
kontor_mail_composer_server_remove (KontorMailComposer *self)
{
  KontorMailComposerServer *server = self->server;

  if (server == NULL)
    return;
  g_clear_handle_id (&server->save_id, g_source_remove);
  server->dirty = FALSE;
  push (server, g_new0 (Op, 1));
}

/* A draft opened from the server and not changed since: closing needs no question.
 * One changed here is asked about even once stored, as Discard then deletes it. */
gboolean
kontor_mail_composer_server_is_current (KontorMailComposer *self)
{
  KontorMailComposerServer *server = self->server;

  return server != NULL && server->server_id != NULL && !server->edited && !server->dirty &&
         !server->running && g_queue_is_empty (&server->ops);
}

/* A draft opened from the Drafts folder, or a draft file that names its copy there. */
void
kontor_mail_composer_set_server_id (KontorMailComposer *self, const char *message_id)
{
  KontorMailComposerServer *server;

  g_return_if_fail (KONTOR_IS_MAIL_COMPOSER (self));
  server = ensure_server (self);
  g_free (server->server_id);
  server->server_id = g_strdup (message_id);
  /* What was filled in so far is that copy. */
  server->dirty = FALSE;
  server->edited = FALSE;
  g_clear_handle_id (&server->save_id, g_source_remove);
}

const char *
kontor_mail_composer_get_server_id (KontorMailComposer *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_COMPOSER (self), NULL);
  return self->server != NULL ? self->server->server_id : NULL;
}

/* The window goes; operations in the queue go on without it. */
void
kontor_mail_composer_server_dispose (KontorMailComposer *self)
{
  if (self->server == NULL)
    return;
  g_clear_handle_id (&self->server->save_id, g_source_remove);
  self->server->composer = NULL;
  g_rc_box_release_full (g_steal_pointer (&self->server), (GDestroyNotify) server_free);
}
