/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-message.c: a message list row. It copies what a row shows out of the
 * CamelMessageInfo so the summary can unload the info while the row stays. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-folder.h"
#include "kontor-mail-message.h"

struct _KontorMailMessage
{
  GObject parent_instance;

  char *id;
  char *folder_id;
  char *uid;
  char *subject;
  char *from;
  char *sender;
  char *to;
  gint64 date;
  guint32 flags;
  guint32 size;
  guint thread_count;
};

G_DEFINE_FINAL_TYPE (KontorMailMessage, kontor_mail_message, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SUBJECT,
  PROP_SENDER,
  PROP_DATE,
  PROP_UNREAD,
  PROP_FLAGGED,
  PROP_HAS_ATTACHMENTS,
  PROP_ANSWERED,
  PROP_THREAD_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char *name;
  guint32 flag;
} flag_names[] = {
  { "seen", CAMEL_MESSAGE_SEEN },         { "flagged", CAMEL_MESSAGE_FLAGGED },
  { "answered", CAMEL_MESSAGE_ANSWERED }, { "forwarded", CAMEL_MESSAGE_FORWARDED },
  { "draft", CAMEL_MESSAGE_DRAFT },       { "deleted", CAMEL_MESSAGE_DELETED },
  { "junk", CAMEL_MESSAGE_JUNK },
};

static void
kontor_mail_message_finalize (GObject *object)
{
  KontorMailMessage *self = KONTOR_MAIL_MESSAGE (object);

  g_free (self->id);
  g_free (self->folder_id);
  g_free (self->uid);
  g_free (self->subject);
  g_free (self->from);
  g_free (self->sender);
  g_free (self->to);

  G_OBJECT_CLASS (kontor_mail_message_parent_class)->finalize (object);
}

static void
kontor_mail_message_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorMailMessage *self = KONTOR_MAIL_MESSAGE (object);

  switch (prop_id)
    {
      case PROP_SUBJECT:
        g_value_set_string (value, self->subject);
        break;
      case PROP_SENDER:
        g_value_set_string (value, self->sender);
        break;
      case PROP_DATE:
        g_value_set_int64 (value, self->date);
        break;
      case PROP_UNREAD:
        g_value_set_boolean (value, kontor_mail_message_get_unread (self));
        break;
      case PROP_FLAGGED:
        g_value_set_boolean (value, kontor_mail_message_get_flagged (self));
        break;
      case PROP_HAS_ATTACHMENTS:
        g_value_set_boolean (value, kontor_mail_message_get_has_attachments (self));
        break;
      case PROP_ANSWERED:
        g_value_set_boolean (value, (self->flags & CAMEL_MESSAGE_ANSWERED) != 0);
        break;
      case PROP_THREAD_COUNT:
        g_value_set_uint (value, self->thread_count);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_mail_message_class_init (KontorMailMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kontor_mail_message_finalize;
  object_class->get_property = kontor_mail_message_get_property;

  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  properties[PROP_SENDER] = g_param_spec_string ("sender", NULL, NULL, NULL, flags);
  properties[PROP_DATE] = g_param_spec_int64 ("date", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UNREAD] = g_param_spec_boolean ("unread", NULL, NULL, FALSE, flags);
  properties[PROP_FLAGGED] = g_param_spec_boolean ("flagged", NULL, NULL, FALSE, flags);
  properties[PROP_HAS_ATTACHMENTS] =
    g_param_spec_boolean ("has-attachments", NULL, NULL, FALSE, flags);
  properties[PROP_ANSWERED] = g_param_spec_boolean ("answered", NULL, NULL, FALSE, flags);
  properties[PROP_THREAD_COUNT] =
    g_param_spec_uint ("thread-count", NULL, NULL, 1, G_MAXUINT, 1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_mail_message_init (KontorMailMessage *self)
{
  self->thread_count = 1;
}

/* Messages in the conversation this row stands for (1 outside conversations). */
void
kontor_mail_message_set_thread_count (KontorMailMessage *self, guint count)
{
  if (self->thread_count == count || count == 0)
    return;
  self->thread_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREAD_COUNT]);
}

/* "Ada Lovelace <ada@example.org>, bob@example.org" -> "Ada Lovelace, bob@example.org" */
char *
kontor_mail_address_display (const char *address_list)
{
  g_autoptr (CamelInternetAddress) address = camel_internet_address_new ();
  g_autoptr (GString) out = g_string_new (NULL);
  int n;

  if (address_list == NULL || *address_list == '\0')
    return g_strdup ("");
  n = camel_address_decode (CAMEL_ADDRESS (address), address_list);
  if (n <= 0)
    return g_strdup (address_list);
  for (int i = 0; i < n; i++)
    {
      const char *name = NULL, *email = NULL;

      if (!camel_internet_address_get (address, i, &name, &email))
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, name != NULL && *name != '\0' ? name : email != NULL ? email : "");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A row from the summary's fields: from a message info, or straight from the summary
 * database (kontor-mail-summary.c). */
KontorMailMessage *
kontor_mail_message_new_from_fields (const char *folder_id,
                                     const char *uid,
                                     const char *subject,
                                     const char *from,
                                     const char *to,
                                     gint64 date,
                                     guint32 flags,
                                     guint32 size)
{
  KontorMailMessage *self = g_object_new (KONTOR_TYPE_MAIL_MESSAGE, NULL);

  self->folder_id = g_strdup (folder_id);
  self->uid = g_strdup (uid);
  self->id = kontor_mail_message_id_build (folder_id, self->uid);
  self->subject = g_strdup (subject != NULL && *subject != '\0' ? subject : _ ("(No Subject)"));
  self->from = g_strdup (from);
  self->sender = kontor_mail_address_display (self->from);
  self->to = g_strdup (to);
  self->date = date;
  self->flags = flags;
  self->size = size;
  return self;
}

KontorMailMessage *
kontor_mail_message_new (const char *folder_id, CamelMessageInfo *info)
{
  gint64 date = camel_message_info_get_date_sent (info);

  return kontor_mail_message_new_from_fields (
    folder_id, camel_message_info_get_uid (info), camel_message_info_get_subject (info),
    camel_message_info_get_from (info), camel_message_info_get_to (info),
    date > 0 ? date : camel_message_info_get_date_received (info),
    camel_message_info_get_flags (info), camel_message_info_get_size (info));
}

void
kontor_mail_message_update (KontorMailMessage *self, CamelMessageInfo *info)
{
  guint32 flags = camel_message_info_get_flags (info);
  guint32 changed = flags ^ self->flags;

  self->flags = flags;
  if (changed & CAMEL_MESSAGE_SEEN)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
  if (changed & CAMEL_MESSAGE_FLAGGED)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAGGED]);
  if (changed & CAMEL_MESSAGE_ANSWERED)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERED]);
  if (changed & CAMEL_MESSAGE_ATTACHMENTS)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_ATTACHMENTS]);
}

guint
kontor_mail_message_get_thread_count (KontorMailMessage *self)
{
  return self->thread_count;
}

const char *
kontor_mail_message_get_id (KontorMailMessage *self)
{
  return self->id;
}

const char *
kontor_mail_message_get_folder_id (KontorMailMessage *self)
{
  return self->folder_id;
}

const char *
kontor_mail_message_get_uid (KontorMailMessage *self)
{
  return self->uid;
}

const char *
kontor_mail_message_get_subject (KontorMailMessage *self)
{
  return self->subject;
}

const char *
kontor_mail_message_get_from (KontorMailMessage *self)
{
  return self->from != NULL ? self->from : "";
}

const char *
kontor_mail_message_get_sender (KontorMailMessage *self)
{
  return self->sender;
}

const char *
kontor_mail_message_get_to (KontorMailMessage *self)
{
  return self->to != NULL ? self->to : "";
}

gint64
kontor_mail_message_get_date (KontorMailMessage *self)
{
  return self->date;
}

guint32
kontor_mail_message_get_flags (KontorMailMessage *self)
{
  return self->flags;
}

guint32
kontor_mail_message_get_size (KontorMailMessage *self)
{
  return self->size;
}

gboolean
kontor_mail_message_get_unread (KontorMailMessage *self)
{
  return (self->flags & CAMEL_MESSAGE_SEEN) == 0;
}

gboolean
kontor_mail_message_get_flagged (KontorMailMessage *self)
{
  return (self->flags & CAMEL_MESSAGE_FLAGGED) != 0;
}

gboolean
kontor_mail_message_get_has_attachments (KontorMailMessage *self)
{
  return (self->flags & CAMEL_MESSAGE_ATTACHMENTS) != 0;
}

GStrv
kontor_mail_flags_to_strv (guint32 flags, gboolean junk)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if ((flags & flag_names[i].flag) != 0 || (flag_names[i].flag == CAMEL_MESSAGE_JUNK && junk))
      g_strv_builder_add (builder, flag_names[i].name);
  return g_strv_builder_end (builder);
}

gboolean
kontor_mail_flags_from_strv (const char *const *names,
                             guint32 *out_flags,
                             gboolean *out_junk,
                             GError **error)
{
  guint32 flags = 0;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      guint j;

      for (j = 0; j < G_N_ELEMENTS (flag_names); j++)
        if (g_ascii_strcasecmp (names[i], flag_names[j].name) == 0)
          break;
      if (j == G_N_ELEMENTS (flag_names))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not a message flag; use seen, flagged, answered, forwarded, "
                          "draft, deleted or junk"),
                       names[i]);
          return FALSE;
        }
      flags |= flag_names[j].flag;
    }
  *out_flags = flags & ~CAMEL_MESSAGE_JUNK;
  if (out_junk != NULL)
    *out_junk = (flags & CAMEL_MESSAGE_JUNK) != 0;
  return TRUE;
}
