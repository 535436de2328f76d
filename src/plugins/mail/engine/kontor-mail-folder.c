/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-folder.c: the folder tree's nodes and the stable ids of folders and
 * messages ("ACCOUNT/FULL-NAME", "FOLDER-ID:UID") that the UI and D-Bus share. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include "kontor-mail-folder.h"

struct _KontorMailFolder
{
  GObject parent_instance;

  KontorMailFolderKind kind;
  KontorMailRole role;
  char *id;
  char *account_id;
  char *full_name;
  char *name;
  guint total;
  guint unread;
  gboolean subscribed;
  gboolean selectable;
  GListStore *children;
};

G_DEFINE_FINAL_TYPE (KontorMailFolder, kontor_mail_folder, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_ROLE,
  PROP_TOTAL,
  PROP_UNREAD,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kontor_mail_folder_finalize (GObject *object)
{
  KontorMailFolder *self = KONTOR_MAIL_FOLDER (object);

  g_free (self->id);
  g_free (self->account_id);
  g_free (self->full_name);
  g_free (self->name);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (kontor_mail_folder_parent_class)->finalize (object);
}

static void
kontor_mail_folder_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorMailFolder *self = KONTOR_MAIL_FOLDER (object);

  switch (prop_id)
    {
      case PROP_NAME:
        g_value_set_string (value, self->name);
        break;
      case PROP_ROLE:
        g_value_set_int (value, self->role);
        break;
      case PROP_TOTAL:
        g_value_set_uint (value, self->total);
        break;
      case PROP_UNREAD:
        g_value_set_uint (value, self->unread);
        break;
      case PROP_ICON_NAME:
        g_value_set_string (value, kontor_mail_folder_get_icon_name (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_mail_folder_class_init (KontorMailFolderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kontor_mail_folder_finalize;
  object_class->get_property = kontor_mail_folder_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] = g_param_spec_int ("role", NULL, NULL, 0, KONTOR_MAIL_ROLE_OUTBOX, 0,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNREAD] = g_param_spec_uint ("unread", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_mail_folder_init (KontorMailFolder *self)
{
  self->children = g_list_store_new (KONTOR_TYPE_MAIL_FOLDER);
  self->subscribed = TRUE;
  self->selectable = TRUE;
}

KontorMailFolder *
kontor_mail_folder_new (KontorMailFolderKind kind,
                        const char *account_id,
                        const char *full_name,
                        const char *name)
{
  KontorMailFolder *self = g_object_new (KONTOR_TYPE_MAIL_FOLDER, NULL);

  self->kind = kind;
  self->account_id = g_strdup (account_id);
  self->full_name = g_strdup (full_name);
  self->name = g_strdup (name);
  switch (kind)
    {
      case KONTOR_MAIL_FOLDER_KIND_UNIFIED:
        self->id = g_strdup (KONTOR_MAIL_UNIFIED_INBOX_ID);
        self->role = KONTOR_MAIL_ROLE_INBOX;
        break;
      case KONTOR_MAIL_FOLDER_KIND_ACCOUNT:
        self->id = g_strdup (account_id);
        self->selectable = FALSE;
        break;
      case KONTOR_MAIL_FOLDER_KIND_FOLDER:
      default:
        self->id = kontor_mail_folder_id_build (account_id, full_name);
        break;
    }
  return self;
}

KontorMailFolderKind
kontor_mail_folder_get_kind (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), 0);
  return self->kind;
}

const char *
kontor_mail_folder_get_id (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), NULL);
  return self->id;
}

const char *
kontor_mail_folder_get_account_id (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), NULL);
  return self->account_id;
}

const char *
kontor_mail_folder_get_full_name (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), NULL);
  return self->full_name;
}

const char *
kontor_mail_folder_get_name (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), NULL);
  return self->name;
}

void
kontor_mail_folder_set_name (KontorMailFolder *self, const char *name)
{
  g_return_if_fail (KONTOR_IS_MAIL_FOLDER (self));
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

KontorMailRole
kontor_mail_folder_get_role (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), KONTOR_MAIL_ROLE_NONE);
  return self->role;
}

void
kontor_mail_folder_set_role (KontorMailFolder *self, KontorMailRole role)
{
  g_return_if_fail (KONTOR_IS_MAIL_FOLDER (self));
  if (self->role == role)
    return;
  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

guint
kontor_mail_folder_get_total (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), 0);
  return self->total;
}

guint
kontor_mail_folder_get_unread (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), 0);
  return self->unread;
}

void
kontor_mail_folder_set_counts (KontorMailFolder *self, guint total, guint unread)
{
  g_return_if_fail (KONTOR_IS_MAIL_FOLDER (self));
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  if (self->unread != unread)
    {
      self->unread = unread;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
    }
}

gboolean
kontor_mail_folder_get_subscribed (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), FALSE);
  return self->subscribed;
}

void
kontor_mail_folder_set_subscribed (KontorMailFolder *self, gboolean subscribed)
{
  g_return_if_fail (KONTOR_IS_MAIL_FOLDER (self));
  self->subscribed = !!subscribed;
}

gboolean
kontor_mail_folder_get_selectable (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), FALSE);
  return self->selectable;
}

void
kontor_mail_folder_set_selectable (KontorMailFolder *self, gboolean selectable)
{
  g_return_if_fail (KONTOR_IS_MAIL_FOLDER (self));
  self->selectable = !!selectable;
}

const char *
kontor_mail_folder_get_icon_name (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), NULL);

  if (self->kind == KONTOR_MAIL_FOLDER_KIND_ACCOUNT)
    return "avatar-default-symbolic";
  switch (self->role)
    {
      case KONTOR_MAIL_ROLE_INBOX:
        return "kontor-inbox-symbolic";
      case KONTOR_MAIL_ROLE_DRAFTS:
        return "document-edit-symbolic";
      case KONTOR_MAIL_ROLE_SENT:
        return "mail-send-symbolic";
      case KONTOR_MAIL_ROLE_ARCHIVE:
        return "kontor-archive-symbolic";
      case KONTOR_MAIL_ROLE_JUNK:
        return "mail-mark-junk-symbolic";
      case KONTOR_MAIL_ROLE_TRASH:
        return "user-trash-symbolic";
      case KONTOR_MAIL_ROLE_OUTBOX:
        return "mail-send-receive-symbolic";
      case KONTOR_MAIL_ROLE_NONE:
      default:
        return "folder-symbolic";
    }
}

GListStore *
kontor_mail_folder_get_children (KontorMailFolder *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_FOLDER (self), NULL);
  return self->children;
}

const char *
kontor_mail_role_to_string (KontorMailRole role)
{
  static const char *const names[] = { "",        "inbox", "drafts", "sent",
                                       "archive", "junk",  "trash",  "outbox" };

  return (guint) role < G_N_ELEMENTS (names) ? names[role] : "";
}

char *
kontor_mail_folder_id_build (const char *account_id, const char *full_name)
{
  return g_strconcat (account_id, "/", full_name, NULL);
}

/* Account ids never contain "/", so the first one ends the account part. */
gboolean
kontor_mail_folder_id_parse (const char *folder_id, char **out_account_id, char **out_full_name)
{
  const char *slash;

  if (folder_id == NULL || (slash = strchr (folder_id, '/')) == NULL || slash == folder_id ||
      slash[1] == '\0')
    return FALSE;
  if (out_account_id != NULL)
    *out_account_id = g_strndup (folder_id, slash - folder_id);
  if (out_full_name != NULL)
    *out_full_name = g_strdup (slash + 1);
  return TRUE;
}

char *
kontor_mail_message_id_build (const char *folder_id, const char *uid)
{
  return g_strconcat (folder_id, ":", uid, NULL);
}

/* UIDs are numbers, so the last ":" starts them even when a folder name has one. */
gboolean
kontor_mail_message_id_parse (const char *message_id, char **out_folder_id, char **out_uid)
{
  const char *colon;

  if (message_id == NULL || (colon = strrchr (message_id, ':')) == NULL || colon[1] == '\0')
    return FALSE;
  for (const char *p = colon + 1; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  {
    g_autofree char *folder_id = g_strndup (message_id, colon - message_id);

    if (!kontor_mail_folder_id_parse (folder_id, NULL, NULL))
      return FALSE;
    if (out_folder_id != NULL)
      *out_folder_id = g_steal_pointer (&folder_id);
  }
  if (out_uid != NULL)
    *out_uid = g_strdup (colon + 1);
  return TRUE;
}
