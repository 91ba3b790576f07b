using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panorama.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class GoalScrollThreshold : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ScrollThreshold",
                table: "Goals",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ScrollThreshold",
                table: "Goals");
        }
    }
}
